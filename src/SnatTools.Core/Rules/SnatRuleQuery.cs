namespace SnatTools.Core.Rules;

/// <summary>What Get-SnatRule was asked for. Null filters match everything.</summary>
public sealed record SnatRuleQuery
{
    /// <summary>IPv4 or IPv6 (inet tables match both); null for all.</summary>
    public SnatFamily? Family { get; init; }

    public SnatBackend? Backend { get; init; }

    public string? Table { get; init; }

    public string? Chain { get; init; }

    /// <summary>Also read chains no nat postrouting/input base chain reaches (their rules get Reachable = false).</summary>
    public bool AllChains { get; init; }

    public string? NetworkNamespace { get; init; }

    public bool WantsFamily(SnatFamily family) => Family is null || family == SnatFamily.Inet || family == Family;

    public bool WantsBackend(SnatBackend backend) => Backend is null || Backend == backend;
}
