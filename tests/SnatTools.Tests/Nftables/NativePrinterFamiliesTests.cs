using System.Net;
using SnatTools.Core.Nat;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Rules;

namespace SnatTools.Tests.Nftables;

/// <summary>
/// The native printer's header-field families, each rule built as nft 1.0.6 writes it (nft --debug=netlink)
/// and read without root: extension headers, bit fields, tcp flags, payload writes, icmp fields with their
/// type dependency. The live corpus (NftCorpusTests) checks the same families against nft itself.
/// </summary>
public sealed class NativePrinterFamiliesTests
{
    [Fact]
    public void A_tcp_option_is_printed_by_name_after_the_address_it_follows()
    {
        var text = Text(
            NfProto.IPv4,
            PayloadExpression.Load(NftPayloadBase.Network, 12, 4, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, IPAddress.Parse("198.19.4.4").GetAddressBytes()),
            Exthdr(op: 1, type: 2, offset: 2, length: 2),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [0x04, 0xb0]));

        Assert.Equal("ip saddr 198.19.4.4 tcp option maxseg size 1200 masquerade", text);
    }

    [Fact]
    public void An_ipv6_fragment_offset_under_its_mask_is_the_field_shifted_and_its_nfproto_dependency_goes()
    {
        var text = Text(
            NfProto.Inet,
            MetaExpression.Load(NftMetaKey.NfProto, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [NfProto.IPv6]),
            Exthdr(op: 0, type: 44, offset: 2, length: 2),
            new BitwiseExpression(NftRegister.Reg1, [0xff, 0xf8], [0, 0]),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Gte, [0x01, 0x08]),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Lte, [0x01, 0x68]));

        Assert.Equal("frag frag-off 33-45 masquerade", text);
    }

    [Fact]
    public void A_present_extension_header_reads_exists_and_an_unknown_tcp_option_its_kind()
    {
        Assert.Equal("exthdr frag exists masquerade", Text(NfProto.IPv6, Exthdr(0, 44, 0, 1, present: true), new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [1])));
        Assert.Equal("tcp option 255 missing masquerade", Text(NfProto.IPv4, Exthdr(1, 255, 0, 1, present: true), new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [0])));
    }

    [Fact]
    public void An_extension_header_without_its_length_stays_unknown_and_hides_the_value()
    {
        var malformed = new UnknownExpression("exthdr", Attributes(w =>
        {
            w.PutBe32(1, NftRegister.Reg1);
            w.PutU8(2, 44);
            w.PutBe32(3, 2);
        }), "exthdr is not decoded");

        var rule = SnatRuleFactory.FromNftRule(Rule(NfProto.IPv6, malformed, new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [0x04, 0xb0])), 1, true, 1, null, null, null);

        Assert.False(rule.Decoded);
        Assert.StartsWith("[unknown exthdr] [unknown cmp eq", rule.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("1200", rule.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x17, 0x02, NftCmpOp.Eq, "tcp flags syn / fin,syn,rst,ack")]
    [InlineData(0x17, 0x02, NftCmpOp.Neq, "tcp flags != syn / fin,syn,rst,ack")]
    [InlineData(0x12, 0x00, NftCmpOp.Neq, "tcp flags syn,ack")]
    [InlineData(0x12, 0x00, NftCmpOp.Eq, "tcp flags ! syn,ack")]
    [InlineData(0x02, 0x02, NftCmpOp.Eq, "tcp flags & syn == syn")]
    [InlineData(0xff, 0xff, NftCmpOp.Eq, "tcp flags == 0xff")]
    public void Tcp_flags_under_a_mask_read_as_nft_prints_them(byte mask, byte value, uint op, string expected)
    {
        var text = Text(
            NfProto.IPv4,
            MetaExpression.Load(NftMetaKey.L4Proto, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [6]),
            PayloadExpression.Load(NftPayloadBase.Transport, 13, 1, NftRegister.Reg1),
            new BitwiseExpression(NftRegister.Reg1, [mask], [0]),
            new CmpExpression(NftRegister.Reg1, op, [value]));

        Assert.Equal(expected + " masquerade", text);
    }

    [Fact]
    public void A_dscp_written_back_with_the_bits_around_it_reads_as_the_field_set()
    {
        var write = PayloadExpression.Decode(Attributes(w =>
        {
            w.PutBe32(NftaPayload.SReg, NftRegister.Reg1);
            w.PutBe32(NftaPayload.Base, NftPayloadBase.Network);
            w.PutBe32(NftaPayload.Offset, 0);
            w.PutBe32(NftaPayload.Len, 2);
            w.PutBe32(NftaPayload.CsumType, 1);
            w.PutBe32(NftaPayload.CsumOffset, 10);
            w.PutBe32(NftaPayload.CsumFlags, 0);
        }));

        var text = Text(
            NfProto.IPv4,
            PayloadExpression.Load(NftPayloadBase.Network, 0, 2, NftRegister.Reg1),
            new BitwiseExpression(NftRegister.Reg1, [0xff, 0x03], [0x00, 0x58]),
            write);

        Assert.Equal("ip dscp set af23 masquerade", text);
    }

    [Fact]
    public void An_icmp_field_is_named_by_the_icmp_type_before_it_which_goes_when_it_is_the_type_the_field_implies()
    {
        Expression[] Icmp(byte type) =>
        [
            MetaExpression.Load(NftMetaKey.L4Proto, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [1]),
            PayloadExpression.Load(NftPayloadBase.Transport, 0, 1, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [type]),
            PayloadExpression.Load(NftPayloadBase.Transport, 6, 2, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [0, 33]),
        ];

        Assert.Equal("icmp mtu 33 masquerade", Text(NfProto.IPv4, Icmp(3)));
        Assert.Equal("icmp type echo-reply icmp sequence 33 masquerade", Text(NfProto.IPv4, Icmp(0)));
    }

    private static UnknownExpression Exthdr(uint op, byte type, uint offset, uint length, bool present = false) =>
        new("exthdr", Attributes(w =>
        {
            w.PutBe32(1, NftRegister.Reg1);
            w.PutU8(2, type);
            w.PutBe32(3, offset);
            w.PutBe32(4, length);
            if (present)
            {
                w.PutBe32(5, 1);
            }

            w.PutBe32(6, op);
        }), "exthdr is not decoded");

    private static string Text(byte family, params Expression[] expressions) =>
        SnatRuleFactory.FromNftRule(Rule(family, [.. expressions, MasqExpression.Create(NatRangeFlags.None)]), 1, true, 1, null, null, null).Text;

    private static NftRule Rule(byte family, params Expression[] expressions) => new(family, "t", "post", 2, null, expressions, null, 1);

    private static byte[] Attributes(Action<NetlinkWriter> write)
    {
        var writer = new NetlinkWriter(256);
        write(writer);
        return writer.WrittenSpan.ToArray();
    }
}
