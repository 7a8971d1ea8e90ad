using SnatTools.Core.Nftables.Analysis;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// Header fields that are not whole bytes, read as a load of the bytes around them and a mask:
/// `ip dscp`, `ip6 flowlabel`, `tcp doff`, `dccp type`. nft names such a masked load after the
/// template fields the mask covers, walking its header's templates in order (payload.c
/// payload_expr_trim over the nftables 1.0.6 proto.c templates), and shifts the compared values
/// right by the mask's lowest bit. Offsets and lengths in bits.
/// </summary>
internal static class NftPayloadBitFields
{
    private record struct Field(string Token, int Offset, int Length, NftDataType Type = NftDataType.Integer);

    private static readonly Field[] Ipv4 =
    [
        new("version", 0, 4), new("hdrlength", 4, 4), new("dscp", 8, 6, NftDataType.Dscp), new("ecn", 14, 2, NftDataType.Ecn),
        new("length", 16, 16), new("id", 32, 16), new("frag-off", 48, 16), new("ttl", 64, 8), new("protocol", 72, 8, NftDataType.InetProtocol),
        new("checksum", 80, 16), new("saddr", 96, 32, NftDataType.Ipv4Address), new("daddr", 128, 32, NftDataType.Ipv4Address),
    ];

    private static readonly Field[] Ipv6 =
    [
        new("version", 0, 4), new("dscp", 4, 6, NftDataType.Dscp), new("ecn", 10, 2, NftDataType.Ecn), new("flowlabel", 12, 20),
        new("length", 32, 16), new("nexthdr", 48, 8, NftDataType.InetProtocol), new("hoplimit", 56, 8),
        new("saddr", 64, 128, NftDataType.Ipv6Address), new("daddr", 192, 128, NftDataType.Ipv6Address),
    ];

    private static readonly Field[] Tcp =
    [
        new("sport", 0, 16, NftDataType.InetService), new("dport", 16, 16, NftDataType.InetService), new("sequence", 32, 32), new("ackseq", 64, 32),
        new("doff", 96, 4), new("reserved", 100, 4), new("flags", 104, 8, NftDataType.TcpFlag), new("window", 112, 16), new("checksum", 128, 16),
        new("urgptr", 144, 16),
    ];

    private static readonly Field[] Dccp =
    [
        new("sport", 0, 16, NftDataType.InetService), new("dport", 16, 16, NftDataType.InetService), new("type", 67, 4, NftDataType.DccpPktType),
    ];

    /// <summary>The field (its token, without the protocol), its value type and the shift; null when nft keeps the mask.</summary>
    public static (string Token, NftValueType Type, int Shift)? Of(PayloadOperand payload, ReadOnlySpan<byte> mask)
    {
        Field[]? fields = payload.Base switch
        {
            NftPayloadBase.Network => payload.NetworkFamily switch { NfProto.IPv4 => Ipv4, NfProto.IPv6 => Ipv6, _ => null },
            NftPayloadBase.Transport => payload.TransportProtocol switch { 6 => Tcp, 33 => Dccp, _ => null },
            _ => null,
        };
        if (fields is null || mask.Length != payload.Size || mask.Length > 8)
        {
            return null;
        }

        if (NftValueText.MaskRun(mask) is not var (maskOffset, maskEnd))
        {
            return null;
        }

        int offset = (int)payload.Offset * 8 + mask.Length * 8 - maskEnd;
        int remaining = payload.Size * 8;
        int length = 0;
        Field? first = null;
        foreach (var field in fields)
        {
            if (field.Offset != offset)
            {
                continue;
            }

            if (field.Length > remaining)
            {
                return null;
            }

            first ??= field;
            remaining -= field.Length;
            offset += field.Length;
            length += field.Length;
            if (remaining == 0)
            {
                return null;
            }

            if (maskOffset + length == maskEnd)
            {
                // Only one template field is named here; a mask over several is left to libnftables.
                return length == first.Value.Length ? (first.Value.Token, new NftValueType(first.Value.Type, Bytes(length), true), maskOffset) : null;
            }
        }

        return null;
    }

    private static int Bytes(int bits) => (bits + 7) / 8 is 3 ? 4 : (bits + 7) / 8;
}
