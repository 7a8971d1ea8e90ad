namespace SnatTools.Core.Nftables.Analysis;

/// <summary>counter: packets and bytes the rule has seen.</summary>
public sealed record NftCounterStatement(ulong Packets, ulong Bytes) : NftStatement
{
    public override string ToString() => $"[ counter pkts {Packets} bytes {Bytes} ]";
}
