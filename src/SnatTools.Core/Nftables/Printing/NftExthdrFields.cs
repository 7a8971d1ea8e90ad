using SnatTools.Core.Nftables.Analysis;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// Extension header fields as nft names them (nftables 1.0.6 src/exthdr.c exthdr_expr_print and
/// exthdr_init_raw, src/tcpopt.c, src/sctp_chunk.c): IPv6 extension headers (`frag frag-off`,
/// `exthdr frag exists`, `srh tag`), TCP options (`tcp option sack1 left`, `tcp option @255,8,8`)
/// and SCTP chunks (`sctp chunk init flags`). Offsets and lengths are in bits, as nft keeps them.
/// Null where nft would print its "unknown" template or has no description.
/// </summary>
internal static class NftExthdrFields
{
    private static readonly NftValueType Boolean = new(NftDataType.Boolean, 1, true);

    private record struct Field(string Token, int Offset, int Length, NftDataType Type = NftDataType.Integer);

    private record struct Header(string Name, Field[] Fields);

    private static readonly Field[] NextAndLength = [new("nexthdr", 0, 8, NftDataType.InetProtocol), new("hdrlength", 8, 8)];

    private static readonly Dictionary<byte, Header> Ipv6 = new()
    {
        [0] = new("hbh", NextAndLength),
        [43] = new("rt", [new("nexthdr", 0, 8, NftDataType.InetProtocol), new("hdrlength", 8, 8), new("type", 16, 8), new("seg-left", 24, 8)]),
        [44] = new("frag", [new("nexthdr", 0, 8, NftDataType.InetProtocol), new("reserved", 8, 8), new("frag-off", 16, 13), new("reserved2", 29, 2),
            new("more-fragments", 31, 1), new("id", 32, 32)]),
        [60] = new("dst", NextAndLength),
        [135] = new("mh", [new("nexthdr", 0, 8, NftDataType.InetProtocol), new("hdrlength", 8, 8), new("type", 16, 8, NftDataType.MhType),
            new("reserved", 24, 8), new("checksum", 32, 16)]),
    };

    /// <summary>Routing header variants nft tries, in its order, when no plain `rt` field matches (exthdr.c exthdr_init_raw).</summary>
    private static readonly Header[] RoutingVariants =
    [
        new("srh", [new("last-entry", 32, 8), new("flags", 40, 8), new("tag", 48, 16), new("sid[1]", 64, 128, NftDataType.Ipv6Address),
            new("sid[2]", 192, 128, NftDataType.Ipv6Address)]),
        new("rt0", [new("reserved", 32, 32), new("addr[1]", 64, 128, NftDataType.Ipv6Address), new("addr[2]", 192, 128, NftDataType.Ipv6Address)]),
    ];

    private static readonly Field[] Kind = [new("kind", 0, 8)];
    private static readonly Field[] KindLength = [new("kind", 0, 8), new("length", 8, 8)];

    private static readonly Dictionary<byte, Header> TcpOptions = new()
    {
        [0] = new("eol", Kind),
        [1] = new("nop", Kind),
        [2] = new("maxseg", [.. KindLength, new("size", 16, 16)]),
        [3] = new("window", [.. KindLength, new("count", 16, 8)]),
        [4] = new("sack-perm", KindLength),
        [5] = new("sack", [.. KindLength, new("left", 16, 32), new("right", 48, 32), new("left", 80, 32), new("right", 112, 32),
            new("left", 144, 32), new("right", 176, 32), new("left", 208, 32), new("right", 240, 32)]),
        [8] = new("timestamp", [.. KindLength, new("tsval", 16, 32), new("tsecr", 48, 32)]),
        [19] = new("md5sig", KindLength),
        [30] = new("mptcp", [.. KindLength, new("subtype", 16, 4)]),
        [34] = new("fastopen", KindLength),
    };

    private static readonly Field[] ChunkCommon = [new("type", 0, 8), new("flags", 8, 8), new("length", 16, 16)];

    private static readonly Dictionary<byte, Header> SctpChunks = new()
    {
        [0] = new("data", [.. ChunkCommon, new("tsn", 32, 32), new("stream", 64, 16), new("ssn", 80, 16), new("ppid", 96, 32)]),
        [1] = new("init", Init()),
        [2] = new("init-ack", Init()),
        [3] = new("sack", [.. ChunkCommon, new("cum-tsn-ack", 32, 32), new("a-rwnd", 64, 32), new("num-gap-ack-blocks", 96, 16), new("num-dup-tsns", 112, 16)]),
        [4] = new("heartbeat", ChunkCommon),
        [5] = new("heartbeat-ack", ChunkCommon),
        [6] = new("abort", ChunkCommon),
        [7] = new("shutdown", [.. ChunkCommon, new("cum-tsn-ack", 32, 32)]),
        [8] = new("shutdown-ack", ChunkCommon),
        [9] = new("error", ChunkCommon),
        [10] = new("cookie-echo", ChunkCommon),
        [11] = new("cookie-ack", ChunkCommon),
        [12] = new("ecne", [.. ChunkCommon, new("lowest-tsn", 32, 32)]),
        [13] = new("cwr", [.. ChunkCommon, new("lowest-tsn", 32, 32)]),
        [14] = new("shutdown-complete", ChunkCommon),
        [128] = new("asconf-ack", [.. ChunkCommon, new("seqno", 32, 32)]),
        [192] = new("forward-tsn", [.. ChunkCommon, new("new-cum-tsn", 32, 32)]),
        [193] = new("asconf", [.. ChunkCommon, new("seqno", 32, 32)]),
    };

    private static Field[] Init() =>
    [
        .. ChunkCommon, new("init-tag", 32, 32), new("a-rwnd", 64, 32), new("num-outbound-streams", 96, 16),
        new("num-inbound-streams", 112, 16), new("initial-tsn", 128, 32),
    ];

    /// <summary>The name nft gives TCP option kind <paramref name="kind"/>, or null.</summary>
    public static string? TcpOptionName(byte kind) => TcpOptions.TryGetValue(kind, out var option) ? option.Name : null;

    /// <summary>The name and value type of the field the whole load reads.</summary>
    public static (string Name, NftValueType Type)? Of(ExthdrOperand exthdr) =>
        Of(exthdr, (int)exthdr.Offset * 8, exthdr.Size * 8, exthdr.Present);

    /// <summary>
    /// A load narrowed by a mask to a bit field (netlink_delinearize.c __binop_postprocess,
    /// exthdr.c exthdr_find_template): the field and the right shift of the compared values.
    /// </summary>
    public static (string Name, NftValueType Type, int Shift)? BitField(ExthdrOperand exthdr, ReadOnlySpan<byte> mask)
    {
        if (exthdr.Present || mask.Length != exthdr.Size || mask.Length > 8 || exthdr.Op is not (ExthdrOperand.OpIpv6 or ExthdrOperand.OpTcpOption))
        {
            return null;
        }

        if (NftValueText.MaskRun(mask) is not var (maskOffset, maskEnd))
        {
            return null;
        }

        int offset = (int)exthdr.Offset * 8 + mask.Length * 8 - maskEnd;
        int length = maskEnd - maskOffset;
        if (exthdr.Op == ExthdrOperand.OpTcpOption && (!TcpOptions.ContainsKey(exthdr.Type) || Of(exthdr) is not null))
        {
            return null; // nft narrows a TCP option only from its unknown template (tcpopt.c tcpopt_find_template)
        }

        return Of(exthdr, offset, length, present: false) is { } field ? (field.Name, field.Type, maskOffset) : null;
    }

    private static (string Name, NftValueType Type)? Of(ExthdrOperand exthdr, int offset, int length, bool present)
    {
        switch (exthdr.Op)
        {
            case ExthdrOperand.OpTcpOption:
                if (!TcpOptions.TryGetValue(exthdr.Type, out var option))
                {
                    return offset == 0 && present ? ($"tcp option {exthdr.Type}", Boolean)
                        : ($"tcp option @{exthdr.Type},{offset},{length}", present ? Boolean : Sized(NftDataType.Integer, length));
                }

                if (present)
                {
                    return ($"tcp option {option.Name}", Boolean);
                }

                return Find(option, offset, length) is { } tcp
                    ? ($"tcp option {option.Name}{(offset / 64 is > 0 and var index ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty)} {tcp.Token}", Sized(tcp.Type, length))
                    : null;
            case ExthdrOperand.OpSctp:
                if (!SctpChunks.TryGetValue(exthdr.Type, out var chunk))
                {
                    return null;
                }

                return present ? ($"sctp chunk {chunk.Name}", Boolean)
                    : Find(chunk, offset, length) is { } sctp ? ($"sctp chunk {chunk.Name} {sctp.Token}", Sized(sctp.Type, length)) : null;
            case ExthdrOperand.OpIpv6:
                if (!Ipv6.TryGetValue(exthdr.Type, out var header))
                {
                    return null;
                }

                if (present)
                {
                    return ($"exthdr {header.Name}", Boolean);
                }

                if (Find(header, offset, length) is { } ipv6)
                {
                    return ($"{header.Name} {ipv6.Token}", Sized(ipv6.Type, length));
                }

                if (exthdr.Type == 43)
                {
                    foreach (var variant in RoutingVariants)
                    {
                        if (Find(variant, offset, length) is { } routing)
                        {
                            return ($"{variant.Name} {routing.Token}", Sized(routing.Type, length));
                        }
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static Field? Find(Header header, int offset, int length)
    {
        foreach (var field in header.Fields)
        {
            if (field.Offset == offset && field.Length == length)
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>The value type of a field <paramref name="length"/> bits long: big-endian, whole bytes.</summary>
    private static NftValueType Sized(NftDataType type, int length) => new(type, (length + 7) / 8, true);
}
