using System.Net;
using SnatTools.Core.Nat;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Analysis;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Rules;

namespace SnatTools.Tests.Nftables;

/// <summary>
/// Native rules built in code, expression by expression as nft 1.0.6 writes them (nft --debug=netlink),
/// read without root: what the analyser makes of the registers and what Get-SnatRule shows.
/// </summary>
public sealed class RuleAnalysisTests
{
    private static readonly byte[] Source = IPAddress.Parse("198.19.4.4").GetAddressBytes();

    [Fact]
    public void Values_loaded_into_consecutive_registers_read_as_one_concatenated_key_and_a_register_inside_a_wider_value_as_a_slice()
    {
        var registers = new NftRegisters();
        var saddr = new PayloadOperand(NftPayloadBase.Network, 12, 4, NfProto.IPv4);
        var dport = new PayloadOperand(NftPayloadBase.Transport, 2, 2, NfProto.IPv4);
        registers.Load(NftRegister.Reg1, saddr);
        registers.Load(9, dport);

        var key = Assert.IsType<ConcatOperand>(registers.Read(NftRegister.Reg1, 8));
        Assert.Equal([saddr, dport], key.Parts);
        Assert.Same(saddr, registers.Read(NftRegister.Reg1, 4));

        var map = new MapOperand(key, "__map0", null);
        registers.Load(NftRegister.Reg1, map);
        Assert.Equal(new SliceOperand(map, 4, 12), registers.Read(9));
        Assert.Null(registers.Read(NftRegister.Reg1 + 1));

        registers.Load(10, new ConstantOperand([1, 2, 3, 4]));
        Assert.Null(registers.Read(NftRegister.Reg1));
    }

    [Fact]
    public void A_snat_whose_address_and_port_come_from_a_map_shows_the_map_and_its_entries()
    {
        // meta l4proto tcp snat ip to ip saddr . th dport map { 198.19.4.4 . 40 : 198.18.8.3 . 5000 } (inet table)
        var set = new NftSet(NfProto.Inet, "t", "__map0", NftaSet.FlagAnonymous | NftaSet.FlagConstant | NftaSet.FlagMap | NftaSet.FlagConcat, (7 << 6) | 13, 8, (7 << 6) | 13, 8);
        var element = new NftSetElement([.. Source, 0, 40, 0, 0], null, 0, NftData.FromValue([198, 18, 8, 3, 0x13, 0x88, 0, 0]));
        var rule = Rule(
            NfProto.Inet,
            MetaExpression.Load(NftMetaKey.L4Proto, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [6]),
            MetaExpression.Load(NftMetaKey.NfProto, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [NfProto.IPv4]),
            PayloadExpression.Load(NftPayloadBase.Network, 12, 4, NftRegister.Reg1),
            PayloadExpression.Load(NftPayloadBase.Transport, 2, 2, 9),
            MapLookup("__map0", NftRegister.Reg1, NftRegister.Reg1),
            NatExpression.Create(NftaNat.TypeSnat, NfProto.IPv4, NatRangeFlags.MapIps | NatRangeFlags.ProtoSpecified, 1, 1, 9, 9));

        var snat = SnatRuleFactory.FromNftRule(rule, 1, true, 1, null, name => name == "__map0" ? new NftSetContents(set, [element]) : null, null);

        Assert.True(snat.Decoded, string.Join("; ", snat.Unknown));
        Assert.Equal("snat ip to ip saddr . tcp dport map { 198.19.4.4 . 40 : 198.18.8.3 . 5000 }", snat.Text);
        Assert.Equal("ip saddr . tcp dport map { 198.19.4.4 . 40 : 198.18.8.3 . 5000 }", snat.ToAddresses);
        Assert.Equal(snat.ToAddresses, snat.ToPorts);
        Assert.Equal(new NatMapEntry("198.19.4.4 . 40", "198.18.8.3", "5000"), Assert.Single(snat.AddressMap!.Entries));
        Assert.Equal(("ip saddr . tcp dport", (string?)null, false), (snat.AddressMap.Key, snat.AddressMap.Name, snat.AddressMap.Prefix));
        Assert.Equal((byte)6, snat.ProtocolNumber);
        Assert.Equal("tcp", snat.Protocol);
        Assert.Null(snat.Range!.MinAddress);
    }

    [Fact]
    public void A_map_that_cannot_be_read_leaves_the_rule_undecoded_without_inventing_an_address()
    {
        var rule = Rule(
            NfProto.IPv4,
            PayloadExpression.Load(NftPayloadBase.Network, 12, 4, NftRegister.Reg1),
            MapLookup("__map0", NftRegister.Reg1, NftRegister.Reg1),
            NatExpression.Create(NftaNat.TypeSnat, NfProto.IPv4, NatRangeFlags.MapIps, 1, 1, null, null));

        var snat = SnatRuleFactory.FromNftRule(rule, 1, true, 1, null, _ => null, null);

        Assert.False(snat.Decoded);
        Assert.Contains(snat.Unknown, u => u.Reason.Contains("could not be read", StringComparison.Ordinal));
        Assert.DoesNotContain("255.255.255.255", snat.Text, StringComparison.Ordinal);
        Assert.Null(snat.ToAddresses);
    }

    [Fact]
    public void An_address_range_that_is_one_block_prints_as_a_prefix_and_a_range_in_the_conditions_as_a_range()
    {
        // ip daddr 198.18.0.0-198.18.4.5 snat to 198.18.7.0-198.18.7.255
        var rule = Rule(
            NfProto.IPv4,
            PayloadExpression.Load(NftPayloadBase.Network, 16, 4, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Gte, [198, 18, 0, 0]),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Lte, [198, 18, 4, 5]),
            new ImmediateExpression(1, NftData.FromValue([198, 18, 7, 0])),
            new ImmediateExpression(2, NftData.FromValue([198, 18, 7, 255])),
            NatExpression.Create(NftaNat.TypeSnat, NfProto.IPv4, NatRangeFlags.MapIps, 1, 2, null, null));

        var snat = SnatRuleFactory.FromNftRule(rule, 1, true, 1, null, null, null);

        Assert.True(snat.Decoded, string.Join("; ", snat.Unknown));
        Assert.Equal("ip daddr 198.18.0.0-198.18.4.5 snat to 198.18.7.0/24", snat.Text);
        Assert.Equal("198.18.7.0/24", snat.ToAddresses);
        Assert.Equal(IPAddress.Parse("198.18.7.255"), snat.Range!.MaxAddress);
    }

    [Fact]
    public void A_numgen_selector_names_the_generator_and_a_register_that_holds_no_address_is_reported_not_guessed()
    {
        var numgen = ExpressionRegistry.Decode(NumgenExpression.TypeName, Attributes(w =>
        {
            w.PutBe32(NftaNumgen.DReg, NftRegister.Reg1);
            w.PutBe32(NftaNumgen.Modulus, 4);
            w.PutBe32(NftaNumgen.Type, NftaNumgen.TypeIncremental);
            w.PutBe32(NftaNumgen.Offset, 3323071232);
        }));
        Assert.IsType<NumgenExpression>(numgen);
        var direct = SnatRuleFactory.FromNftRule(Rule(NfProto.IPv4, numgen, NatExpression.Create(NftaNat.TypeSnat, NfProto.IPv4, NatRangeFlags.MapIps, 1, 1, null, null)), 1, true, 1, null, null, null);
        Assert.Equal(("snat to numgen inc mod 4 offset 3323071232", "numgen inc mod 4 offset 3323071232"), (direct.Text, direct.ToAddresses));
        Assert.True(direct.Decoded, string.Join("; ", direct.Unknown));

        var empty = SnatRuleFactory.FromNftRule(Rule(NfProto.IPv4, NatExpression.Create(NftaNat.TypeSnat, NfProto.IPv4, NatRangeFlags.MapIps, 1, 1, null, null)), 1, true, 1, null, null, null);
        Assert.False(empty.Decoded);
        Assert.Contains(empty.Unknown, u => u.Reason == "register 1 holds no address");
        Assert.Null(empty.ToAddresses);
        Assert.DoesNotContain("255.255.255.255", empty.Text, StringComparison.Ordinal);

        var noPort = SnatRuleFactory.FromNftRule(Rule(NfProto.IPv4, MasqExpression.Decode(Attributes(w => w.PutBe32(NftaMasq.RegProtoMin, 1)))), 1, true, 1, null, null, null);
        Assert.False(noPort.Decoded);
        Assert.Null(noPort.ToPorts);
        Assert.DoesNotContain(":0", noPort.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_comparison_after_an_expression_not_decoded_prints_as_unknown_never_as_the_value_an_earlier_load_left()
    {
        // ip saddr 198.19.4.4 tcp option maxseg size 1200 masquerade: the exthdr (not decoded here)
        // loads reg 1, which still held ip saddr; the cmp after it compares the option, not an address.
        var rule = Rule(
            NfProto.IPv4,
            PayloadExpression.Load(NftPayloadBase.Network, 12, 4, NftRegister.Reg1),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, Source),
            new UnknownExpression("exthdr", [8, 0, 1, 0, 0, 0, 0, 1], "exthdr is not decoded"),
            new CmpExpression(NftRegister.Reg1, NftCmpOp.Eq, [0x04, 0xb0]),
            MasqExpression.Create(NatRangeFlags.None));

        var snat = SnatRuleFactory.FromNftRule(rule, 1, true, 1, null, null, null);

        Assert.False(snat.Decoded);
        Assert.StartsWith("ip saddr 198.19.4.4 [unknown exthdr] [unknown ", snat.Text, StringComparison.Ordinal);
        Assert.EndsWith("] masquerade", snat.Text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(snat.Text, "saddr"));
    }

    private static NftRule Rule(byte family, params Expression[] expressions) => new(family, "t", "post", 2, null, expressions, null, 1);

    /// <summary>lookup reg <paramref name="source"/> set <paramref name="set"/> dreg <paramref name="destination"/>, in the kernel's attribute order.</summary>
    private static Expression MapLookup(string set, uint source, uint destination) =>
        ExpressionRegistry.Decode(LookupExpression.TypeName, Attributes(w =>
        {
            w.PutString(NftaLookup.Set, set);
            w.PutBe32(NftaLookup.SReg, source);
            w.PutBe32(NftaLookup.DReg, destination);
            w.PutBe32(NftaLookup.Flags, 0);
        }));

    private static byte[] Attributes(Action<NetlinkWriter> write)
    {
        var writer = new NetlinkWriter(256);
        write(writer);
        return writer.WrittenSpan.ToArray();
    }
}
