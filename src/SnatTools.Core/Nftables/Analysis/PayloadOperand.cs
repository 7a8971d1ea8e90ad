using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// Bytes of a packet header (payload load). <paramref name="NetworkFamily"/> is the network protocol
/// known when the bytes were loaded: the table's family for ip/ip6 tables, or what an earlier
/// `meta nfproto ==` established in inet tables; null when unknown.
/// </summary>
public sealed record PayloadOperand(uint Base, uint Offset, int Size, byte? NetworkFamily) : NftOperand
{
    public override int Length => Size;

    /// <summary>The IP protocol an earlier `meta l4proto ==` / `ip protocol ==` / `ip6 nexthdr ==` established when a transport field was loaded, else null.</summary>
    public byte? TransportProtocol { get; init; }

    public override string ToString() => $"payload {PayloadExpression.BaseName(Base)}+{Offset}/{Size}";
}
