using SnatTools.Core.Nat;
using SnatTools.Core.Rules;

namespace SnatTools.Core.Guard;

/// <summary>What Watch-SnatRule keeps in place, where, and how it watches.</summary>
public sealed record SnatGuardOptions
{
    /// <summary>The flags to keep (Set-SnatRule's change: today -RandomFully; -Random/-Persistent take the same path).</summary>
    public required NatFlagChange Change { get; init; }

    /// <summary>Only rules of these owners; null or empty for every owner without a setting of its own.</summary>
    public IReadOnlyList<SnatOwner>? Owners { get; init; }

    public string? NetworkNamespace { get; init; }

    public SnatBackend? Backend { get; init; }

    public SnatFamily? Family { get; init; }

    /// <summary>How often the iptables-legacy nat tables are compared with the last look (they send no events).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A burst of changes is read once it has been quiet this long ...</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>... but never later than this after its first change.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(700);

    internal SnatRuleQuery Query(SnatBackend? backend = null) => new()
    {
        NetworkNamespace = NetworkNamespace,
        Backend = backend ?? Backend,
        Family = Family,
    };

    internal bool WantsNftables => Backend is null or SnatBackend.Nftables or SnatBackend.IptablesNft;

    internal bool WantsLegacy => Backend is null or SnatBackend.IptablesLegacy;

    internal bool WantsOwner(SnatOwner owner) => Owners is not { Count: > 0 } || Owners.Contains(owner);
}
