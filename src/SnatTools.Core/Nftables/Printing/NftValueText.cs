using System.Buffers.Binary;
using System.Globalization;
using SnatTools.Core.Linux;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Nftables.Printing;

/// <summary>Values as `nft list ruleset` (nftables 1.0.x datatype.c and its type files) prints them.</summary>
public static class NftValueText
{
    private static readonly (uint Bit, string Name)[] CtStates = [(1, "invalid"), (2, "established"), (4, "related"), (8, "new"), (64, "untracked")];

    private static readonly (uint Bit, string Name)[] CtStatuses =
        [(1, "expected"), (2, "seen-reply"), (4, "assured"), (8, "confirmed"), (16, "snat"), (32, "dnat"), (512, "dying")];

    private static readonly (uint Bit, string Name)[] CtEvents =
    [
        (1, "new"), (2, "related"), (4, "destroy"), (8, "reply"), (16, "assured"), (32, "protoinfo"), (64, "helper"), (128, "mark"),
        (256, "seqadj"), (512, "secmark"), (1024, "label"),
    ];

    private static readonly string[] AddressTypes = ["unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit"];

    /// <summary>An interface name; a prefix match is printed with '*'.</summary>
    public static string Interface(InterfaceName name) =>
        !name.Terminated ? name.Text + "*"
        : name.Text.EndsWith('*') ? name.Text[..^1] + "\\*" // a literal '*' at the end, escaped as nft does (datatype.c string_type_print)
        : name.Text;

    /// <summary>The number of leading one bits when <paramref name="mask"/> (in the type's byte order) is a prefix mask shorter than the value, else null.</summary>
    public static int? PrefixLength(NftValueType type, ReadOnlySpan<byte> mask)
    {
        if (mask.Length != type.Size || mask.Length > 8)
        {
            return null;
        }

        ulong number = Number(type, mask);
        int width = mask.Length * 8;
        int ones = System.Numerics.BitOperations.LeadingZeroCount(~(number << (64 - width)));
        ones = Math.Min(ones, width);
        ulong expected = ones == 0 ? 0 : (ulong.MaxValue << (64 - ones)) >> (64 - width);
        return ones > 0 && ones < width && number == expected ? ones : null;
    }

    /// <summary>The relational operator before the right-hand side: nothing for ==.</summary>
    public static string Op(uint op) => op switch
    {
        NftCmpOp.Eq => string.Empty,
        NftCmpOp.Neq => "!= ",
        NftCmpOp.Lt => "< ",
        NftCmpOp.Lte => "<= ",
        NftCmpOp.Gt => "> ",
        NftCmpOp.Gte => ">= ",
        _ => $"op{op} ",
    };

    public static string Hex(ReadOnlySpan<byte> value) => "0x" + Convert.ToHexString(value).ToLowerInvariant();

    /// <summary>An address, with "/n" when only its first <paramref name="prefix"/> bits count.</summary>
    public static string Address(ReadOnlySpan<byte> address, int prefix)
    {
        string text = InetNtop.Format(address);
        return prefix == address.Length * 8 || prefix < 0 ? text : $"{text}/{prefix.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The address of <paramref name="value"/>, zero-padded or cut to the family's length.</summary>
    public static byte[] AddressBytes(ReadOnlySpan<byte> value, bool ipv6)
    {
        var address = new byte[NetworkHeader.AddressLength(ipv6)];
        value[..Math.Min(value.Length, address.Length)].CopyTo(address);
        return address;
    }

    /// <summary>A value of <paramref name="type"/>, or null when this version cannot print that type.</summary>
    public static string? Format(NftValueType type, ReadOnlySpan<byte> value) => Format(type, value, numeric: false);

    /// <summary>
    /// A value of <paramref name="type"/>; <paramref name="numeric"/> as nft prints the bounds of a
    /// range (expression.c range_expr_print sets NFT_CTX_OUTPUT_NUMERIC_ALL): protocols as numbers.
    /// </summary>
    public static string? Format(NftValueType type, ReadOnlySpan<byte> value, bool numeric)
    {
        if (type.Type is NftDataType.IfName or NftDataType.String)
        {
            return "\"" + Interface(InterfaceName.Decode(value)) + "\"";
        }

        if (value.Length < type.Size)
        {
            return null;
        }

        value = value[..type.Size];
        return type.Type switch
        {
            NftDataType.Ipv4Address or NftDataType.Ipv6Address => InetNtop.Format(value),
            NftDataType.InetService => BinaryPrimitives.ReadUInt16BigEndian(value).ToString(CultureInfo.InvariantCulture),
            NftDataType.InetProtocol when numeric => value[0].ToString(CultureInfo.InvariantCulture),
            NftDataType.InetProtocol => ProtocolNames.ForNft(value[0]),
            NftDataType.NfProto when numeric => value[0].ToString(CultureInfo.InvariantCulture),
            NftDataType.NfProto => value[0] switch
            {
                NfProto.IPv4 => "ipv4",
                NfProto.IPv6 => "ipv6",
                _ => value[0].ToString(CultureInfo.InvariantCulture),
            },
            NftDataType.Mark => $"0x{Number(type, value):x8}",
            NftDataType.Integer or NftDataType.Uid or NftDataType.Gid => Number(type, value).ToString(CultureInfo.InvariantCulture),
            NftDataType.CtState => Flags(CtStates, (uint)Number(type, value)),
            NftDataType.CtStatus => Flags(CtStatuses, (uint)Number(type, value)),
            NftDataType.CtDirection => value[0] switch { 0 => "original", 1 => "reply", _ => null },
            NftDataType.EtherType or NftDataType.ArpHrd or NftDataType.PktType or NftDataType.IgmpType or NftDataType.IcmpType or NftDataType.Icmp6Type
                or NftDataType.IcmpCode or NftDataType.Icmpv6Code => NftSymbols.Text(type.Type, Number(type, value), numeric),
            NftDataType.Boolean => value[0] switch { 0 => "missing", 1 => "exists", _ => value[0].ToString(CultureInfo.InvariantCulture) },
            NftDataType.Time when numeric => $"{Number(type, value) / 1000}s", // NUMERIC_ALL includes NUMERIC_TIME (datatype.c time_print)
            NftDataType.Time => Number(type, value) is > 0 and var ms ? Duration(ms) : null,
            NftDataType.CtEventBit => Number(type, value) is 0 ? "0x0" : Flags(CtEvents, (uint)Number(type, value)),
            NftDataType.DevGroup or NftDataType.Realm => NftRtSymbols.Text(type.Type, (uint)Number(type, value), numeric),
            NftDataType.Dscp => NftSymbols.Text(type.Type, Number(type, value), numeric) ?? $"0x{Number(type, value):x2}",
            NftDataType.Ecn => NftSymbols.Text(type.Type, Number(type, value), numeric) ?? $"0x{Number(type, value):x1}",
            NftDataType.DccpPktType => NftSymbols.Text(type.Type, Number(type, value), numeric),
            // nft names an ifindex in its own namespace (datatype.c ifindex_type_print). Only the loopback's is the same in
            // every namespace (LOOPBACK_IFINDEX 1, include/net/net_namespace.h); any other has no text here.
            NftDataType.IfIndex => Number(type, value) == 1 ? "\"lo\"" : null,
            NftDataType.CtLabel => CtLabel(value),
            NftDataType.LinkLayerAddress => string.Join(':', value.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture))),
            NftDataType.TcpFlag => TcpFlag(value[0]),
            NftDataType.Bitmask => $"0x{Number(type, value):x}",
            NftDataType.MhType => NftSymbols.Text(type.Type, value[0], numeric),
            NftDataType.ClassId => NftSymbols.ClassId((uint)Number(type, value)),
            NftDataType.FibAddress => Number(type, value) is var kind && kind < (ulong)AddressTypes.Length ? AddressTypes[kind] : null,
            _ => null,
        };
    }

    /// <summary>One TCP flag by name (proto.c tcp_flag_tbl); null for any other value, whose text depends on where nft prints it.</summary>
    public static string? TcpFlag(byte value) => System.Numerics.BitOperations.PopCount(value) == 1 ? TcpFlagNames[System.Numerics.BitOperations.Log2(value)] : null;

    /// <summary>The flags set in <paramref name="value"/>, lowest bit first, joined by ',' (binop_tree_to_list, list_expr_print); null for none.</summary>
    public static string? TcpFlagList(byte value) =>
        value == 0 ? null : string.Join(',', Enumerable.Range(0, 8).Where(bit => (value & (1 << bit)) != 0).Select(bit => TcpFlagNames[bit]));

    private static readonly string[] TcpFlagNames = ["fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"];

    /// <summary>
    /// A conntrack label: the number of its one set bit, host order (ct.c ct_label_type_print). nft prints
    /// the bit's name from connlabel.conf when there is one; where such a file exists this has no text.
    /// </summary>
    private static string? CtLabel(ReadOnlySpan<byte> value)
    {
        int bit = -1;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == 0)
            {
                continue;
            }

            if (bit >= 0 || System.Numerics.BitOperations.PopCount(value[i]) != 1)
            {
                return null;
            }

            bit = (i * 8) + System.Numerics.BitOperations.Log2(value[i]);
        }

        return bit < 0 || ConnlabelFiles.Any(File.Exists) ? null : bit.ToString(CultureInfo.InvariantCulture);
    }

    private static readonly string[] ConnlabelFiles = ["/etc/connlabel.conf", "/etc/nftables/connlabel.conf", "/etc/xtables/connlabel.conf"];

    /// <summary>Milliseconds as nft prints a time (datatype.c time_print): 1d2h3m4s5ms, units that are zero left out.</summary>
    public static string Duration(ulong ms)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (size, unit) in (ReadOnlySpan<(ulong, string)>)[(86400000, "d"), (3600000, "h"), (60000, "m"), (1000, "s"), (1, "ms")])
        {
            if (ms / size > 0)
            {
                text.Append((ms / size).ToString(CultureInfo.InvariantCulture)).Append(unit);
            }

            ms %= size;
        }

        return text.ToString();
    }

    /// <summary>
    /// Where a mask's lowest run of ones lies, in bits from the value's low end: its first bit and the first
    /// zero above it (nft's mask_to_offset and mask_length, mpz_scan1/mpz_scan0); null for a zero mask.
    /// </summary>
    public static (int Offset, int End)? MaskRun(ReadOnlySpan<byte> mask)
    {
        ulong bits = BigEndian(mask);
        if (bits == 0)
        {
            return null;
        }

        int offset = System.Numerics.BitOperations.TrailingZeroCount(bits);
        int end = offset + 1;
        while (end < 64 && (bits & (1UL << end)) != 0)
        {
            end++;
        }

        return (offset, end);
    }

    /// <summary>Up to eight bytes as one big-endian number, whatever their count (bit fields span 1 to 4 bytes).</summary>
    public static ulong BigEndian(ReadOnlySpan<byte> value)
    {
        ulong number = 0;
        foreach (byte b in value)
        {
            number = (number << 8) | b;
        }

        return number;
    }

    /// <summary>The number a value of <paramref name="type"/> holds, in its byte order.</summary>
    public static ulong Number(NftValueType type, ReadOnlySpan<byte> value) => (value.Length, type.BigEndian) switch
    {
        (1, _) => value[0],
        (2, true) => BinaryPrimitives.ReadUInt16BigEndian(value),
        (2, false) => BinaryPrimitives.ReadUInt16LittleEndian(value),
        (4, true) => BinaryPrimitives.ReadUInt32BigEndian(value),
        (4, false) => BinaryPrimitives.ReadUInt32LittleEndian(value),
        (>= 8, true) => BinaryPrimitives.ReadUInt64BigEndian(value),
        (>= 8, false) => BinaryPrimitives.ReadUInt64LittleEndian(value),
        _ => 0,
    };

    /// <summary>Flag names joined by ',' in bit order; null when a bit has no name or none is set.</summary>
    private static string? Flags((uint Bit, string Name)[] names, uint bits)
    {
        if (bits == 0 || names.Aggregate(bits, (rest, n) => rest & ~n.Bit) != 0)
        {
            return null;
        }

        return string.Join(',', names.Where(n => (bits & n.Bit) != 0).Select(n => n.Name));
    }
}
