using SnatTools.Core.Nftables.Analysis;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// Transport header fields other than the ports, by IP protocol, offset and size, with the name and
/// datatype nft gives them (nftables 1.0.6 src/proto.c templates): the ones whose value alone is
/// printed (no implied ICMP type dependency).
/// </summary>
internal static class NftTransportFields
{
    private static readonly NftValueType Byte = new(NftDataType.Integer, 1, true);
    private static readonly NftValueType Short = new(NftDataType.Integer, 2, true);
    private static readonly NftValueType Word = new(NftDataType.Integer, 4, true);

    /// <summary>Whether the protocol's header starts with the two ports (unknown protocols are read as `th`, which has them).</summary>
    public static bool HasPorts(PayloadOperand payload) => payload.TransportProtocol is null or 6 or 17 or 33 or 132 or 136;

    /// <summary>
    /// The ICMP and ICMPv6 fields that share bytes (id/max-delay, sequence/mtu, gateway, parameter-problem/mtu),
    /// in proto.c template order with the ICMP type each implies: nft takes the first one whose implied type
    /// agrees with the type context, or the first one when none is known (payload.c payload_expr_complete).
    /// </summary>
    private static readonly (byte Protocol, uint Offset, int Size, string Name, byte ImpliedType)[] IcmpShared =
    [
        (1, 4, 2, "id", 8), (1, 6, 2, "sequence", 8), (1, 4, 4, "gateway", 5), (1, 6, 2, "mtu", 3),
        (58, 4, 4, "parameter-problem", 4), (58, 4, 4, "mtu", 2), (58, 4, 2, "id", 128), (58, 6, 2, "sequence", 128), (58, 4, 2, "max-delay", 130),
    ];

    /// <summary>The icmp field of <paramref name="payload"/> under ICMP type <paramref name="context"/> (0: none known), with the type it implies.</summary>
    public static (string Name, NftValueType Type, byte ImpliedType)? Icmp(PayloadOperand payload, byte context)
    {
        foreach (var field in IcmpShared)
        {
            if (field.Protocol != payload.TransportProtocol || field.Offset != payload.Offset || (context != 0 && context != field.ImpliedType))
            {
                continue;
            }

            if (field.Size < payload.Size)
            {
                return null; // nft splits such a load into fields (`icmp id 1 icmp sequence 2`, payload_expr_expand): not printed here
            }

            if (field.Size == payload.Size)
            {
                return (field.Name, field.Size == 2 ? Short : Word, field.ImpliedType);
            }
        }

        return null;
    }

    /// <summary>The value type of a shared icmp field (plain integers, whatever the field's name).</summary>
    public static NftValueType? IcmpType(PayloadOperand payload) =>
        IcmpShared.Any(f => f.Protocol == payload.TransportProtocol && f.Offset == payload.Offset && f.Size == payload.Size)
            ? (payload.Size == 2 ? Short : Word)
            : null;

    public static (string Name, NftValueType Type)? Of(PayloadOperand payload) => (payload.TransportProtocol, payload.Offset, payload.Size) switch
    {
        (6, 4, 4) => ("sequence", Word),
        (6, 8, 4) => ("ackseq", Word),
        (6, 13, 1) => ("flags", new NftValueType(NftDataType.TcpFlag, 1, true)),
        (6, 14, 2) => ("window", Short),
        (6, 16, 2) => ("checksum", Short),
        (6, 18, 2) => ("urgptr", Short),
        (17, 4, 2) => ("length", Short),
        (17, 6, 2) => ("checksum", Short),
        (136, 4, 2) => ("csumcov", Short),
        (136, 6, 2) => ("checksum", Short),
        (132, 4, 4) => ("vtag", Word),
        (132, 8, 4) => ("checksum", Word),
        (1, 0, 1) => ("type", new NftValueType(NftDataType.IcmpType, 1, true)),
        (1, 1, 1) => ("code", new NftValueType(NftDataType.IcmpCode, 1, true)),
        (1, 2, 2) => ("checksum", Short),
        (58, 0, 1) => ("type", new NftValueType(NftDataType.Icmp6Type, 1, true)),
        (58, 1, 1) => ("code", new NftValueType(NftDataType.Icmpv6Code, 1, true)),
        (58, 2, 2) => ("checksum", Short),
        (51, 0, 1) => ("nexthdr", new NftValueType(NftDataType.InetProtocol, 1, true)),
        (51, 1, 1) => ("hdrlength", Byte),
        (51, 2, 2) => ("reserved", Short),
        (51, 4, 4) => ("spi", Word),
        (51, 8, 4) => ("sequence", Word),
        (50, 0, 4) => ("spi", Word),
        (50, 4, 4) => ("sequence", Word),
        (108, 0, 1) => ("nexthdr", new NftValueType(NftDataType.InetProtocol, 1, true)),
        (108, 1, 1) => ("flags", new NftValueType(NftDataType.Bitmask, 1, true)),
        (108, 2, 2) => ("cpi", Short),
        (2, 0, 1) => ("type", new NftValueType(NftDataType.IgmpType, 1, true)),
        (2, 1, 1) => ("mrt", Byte),
        (2, 2, 2) => ("checksum", Short),
        (2, 4, 4) => ("group", Word),
        _ => null,
    };
}
