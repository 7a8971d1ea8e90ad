using SnatTools.Core.Conntrack;

namespace SnatTools.Core.PortUsage;

/// <summary>What Get-SnatPortUsage keeps: source-NATed entries toward a destination, of some protocols, with ranges from a resolver.</summary>
public sealed record SnatPortUsageQuery
{
    public static SnatPortUsageQuery All { get; } = new();

    /// <summary>Only entries toward this address (and port); null for all.</summary>
    public DestinationFilter? Destination { get; init; }

    /// <summary>IP protocol numbers to keep; null or empty for all.</summary>
    public IReadOnlySet<byte>? Protocols { get; init; }

    /// <summary>The port range per entry; the kernel default when not set.</summary>
    public NatPortRangeResolver Ranges { get; init; } = SnatRulePortRanges.KernelDefault;

    /// <summary>True for a source-NATed entry this query keeps (the range is resolved later).</summary>
    public bool Keeps(ConntrackEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.IsSourceNat
            && entry.NatPort is not null
            && (Protocols is not { Count: > 0 } || Protocols.Contains(entry.Original.Protocol))
            && (Destination is null || Destination.Matches(entry));
    }
}
