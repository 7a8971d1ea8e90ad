namespace SnatTools.Core.Nftables.Analysis;

/// <summary>The IPv4/IPv6 header fields source-NAT rules match on.</summary>
public enum NetworkField
{
    SourceAddress,
    DestinationAddress,
    Protocol,
    FragmentOffset,
}
