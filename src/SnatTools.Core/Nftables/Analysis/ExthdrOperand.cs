using System.Buffers.Binary;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// Bytes of an extension header (exthdr load): an IPv6 extension header, a TCP option or an SCTP
/// chunk (<paramref name="Op"/>, NFT_EXTHDR_OP_*) of <paramref name="Type"/>, <paramref name="Size"/>
/// bytes from <paramref name="Offset"/>; <paramref name="Present"/> when it only says whether the
/// header is there (NFT_EXTHDR_F_PRESENT).
/// </summary>
public sealed record ExthdrOperand(uint Op, byte Type, uint Offset, int Size, bool Present) : NftOperand
{
    public const uint OpIpv6 = 0;
    public const uint OpTcpOption = 1;
    public const uint OpIpv4 = 2;
    public const uint OpSctp = 3;

    public override int Length => Size;

    /// <summary>
    /// The register and operand of an exthdr load kept as a raw expression (uapi nf_tables.h:
    /// NFTA_EXTHDR_DREG 1, TYPE 2 (u8), OFFSET 3, LEN 4, FLAGS 5, OP 6, all be32); null for a
    /// write or strip (no DREG) or a malformed one.
    /// </summary>
    public static (uint Register, ExthdrOperand Operand)? Load(UnknownExpression expression) =>
        Decode(expression) is { Destination: { } register } decoded ? (register, decoded.Operand) : null;

    /// <summary>An exthdr write (NFTA_EXTHDR_SREG 7): the field and the register its new value comes from.</summary>
    public static (uint Register, ExthdrOperand Operand)? Write(UnknownExpression expression) =>
        Decode(expression) is { Destination: null, Source: { } register } decoded ? (register, decoded.Operand) : null;

    private static (uint? Destination, uint? Source, ExthdrOperand Operand)? Decode(UnknownExpression expression)
    {
        if (expression.Name != "exthdr")
        {
            return null;
        }

        try
        {
            var values = new Dictionary<ushort, byte[]>();
            foreach (var attribute in new AttributeReader(expression.Raw.Span))
            {
                values[attribute.Type] = attribute.Payload.ToArray();
            }

            if (!values.TryGetValue(2, out var type) || type.Length != 1
                || Be32(values, 3) is not { } offset || Be32(values, 4) is not { } length || length is 0 or > 16)
            {
                return null;
            }

            uint flags = Be32(values, 5) ?? 0;
            return (Be32(values, 1), Be32(values, 7), new ExthdrOperand(Be32(values, 6) ?? OpIpv6, type[0], offset, (int)length, (flags & 1) != 0));
        }
        catch (NetlinkDecodeException)
        {
            return null;
        }
    }

    private static uint? Be32(Dictionary<ushort, byte[]> values, ushort type) =>
        values.TryGetValue(type, out var v) && v.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(v) : null;

    public override string ToString() =>
        $"exthdr {Op switch { OpIpv6 => "ipv6", OpTcpOption => "tcpopt", OpIpv4 => "ipv4", OpSctp => "sctp", _ => "op" + Op }} {Type}+{Offset}/{Size}{(Present ? " present" : string.Empty)}";
}
