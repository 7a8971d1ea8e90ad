namespace SnatTools.Core.Nftables.Analysis;

/// <summary>The TCP/UDP/SCTP header fields source-NAT rules match on.</summary>
public enum TransportField
{
    SourcePort,
    DestinationPort,
    TcpFlags,
}
