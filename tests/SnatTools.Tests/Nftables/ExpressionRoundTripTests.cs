using SnatTools.Core.Nat;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Expressions;

namespace SnatTools.Tests.Nftables;

public sealed class ExpressionRoundTripTests
{
    public static TheoryData<string> Captures => new()
    {
        "nft-iptables-nat-ipv4.hex",
        "nft-iptables-nat-ipv6.hex",
        "nft-iptables-snat-rev2.hex",
        "nft-native-nat.hex",
    };

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_expression_the_kernel_sent_decodes_to_a_type_and_encodes_back_to_the_same_bytes(string capture)
    {
        var rules = CapturedRules.From(capture);
        Assert.NotEmpty(rules);
        foreach (var expression in rules.SelectMany(r => r.Expressions))
        {
            Assert.IsNotType<UnknownExpression>(expression);
            Assert.Equal(expression.Raw.ToArray(), expression.EncodeData());
        }
    }

    [Fact]
    public void The_captures_cover_every_expression_type_source_nat_rules_use()
    {
        var names = new[] { "nft-iptables-nat-ipv4.hex", "nft-iptables-nat-ipv6.hex", "nft-native-nat.hex" }
            .SelectMany(CapturedRules.From).SelectMany(r => r.Expressions).Select(e => e.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "meta", "cmp", "payload", "bitwise", "counter", "immediate", "match", "target", "masq", "nat", "ct" }, names);
    }

    [Fact]
    public void Bytes_a_decoder_refuses_are_kept_as_an_unknown_expression_with_a_reason()
    {
        var masq = CapturedRules.From("nft-native-nat.hex").SelectMany(r => r.Expressions).OfType<MasqExpression>().First();
        var broken = masq.Raw.ToArray().Concat(new byte[] { 8, 0, 9, 0, 0, 0, 0, 1 }).ToArray(); // an attribute masq does not have

        var decoded = ExpressionRegistry.Decode("masq", broken);

        var unknown = Assert.IsType<UnknownExpression>(decoded);
        Assert.Contains("does not know", unknown.Reason, StringComparison.Ordinal);
        Assert.Equal(broken, unknown.EncodeData());
        Assert.IsType<UnknownExpression>(ExpressionRegistry.Decode("quota", [8, 0, 1, 0, 0, 0, 0, 1]));
    }

    [Fact]
    public void Changing_masquerade_flags_gives_the_bytes_the_kernel_holds_for_a_rule_written_with_those_flags()
    {
        var masqs = CapturedRules.From("nft-native-nat.hex").SelectMany(r => r.Expressions).OfType<MasqExpression>().ToList();
        var plain = masqs.Single(m => m.Flags == NatRangeFlags.None && m.ProtoMinRegister is null);
        var fullyRandom = masqs.First(m => m.Flags == NatRangeFlags.ProtoRandomFully);

        Assert.Equal(fullyRandom.Raw.ToArray(), plain.WithFlags(NatRangeFlags.ProtoRandomFully).EncodeData());
        Assert.Equal(plain.Raw.ToArray(), fullyRandom.WithFlags(NatRangeFlags.None).EncodeData());
    }

    [Fact]
    public void Changing_snat_flags_keeps_every_register_and_adds_the_flags_attribute_last()
    {
        var nat = CapturedRules.From("nft-native-nat.hex").SelectMany(r => r.Expressions).OfType<NatExpression>()
            .First(n => (n.Flags & NatRangeFlags.ProtoRandom) != 0);

        var changed = (NatExpression)ExpressionRegistry.Decode("nat", ((NatExpression)nat.WithFlags(nat.Flags | NatRangeFlags.ProtoRandomFully)).EncodeData());

        Assert.Equal(nat.Flags | NatRangeFlags.ProtoRandomFully, changed.Flags);
        Assert.Equal((nat.AddressMinRegister, nat.AddressMaxRegister, nat.ProtoMinRegister, nat.ProtoMaxRegister, nat.Family),
            (changed.AddressMinRegister, changed.AddressMaxRegister, changed.ProtoMinRegister, changed.ProtoMaxRegister, changed.Family));
        Assert.Equal(nat.Raw.Length, changed.Raw.Length);
    }

    [Fact]
    public void Whole_rules_re_encode_into_a_NEWRULE_body_that_decodes_to_the_same_expressions()
    {
        foreach (var rule in CapturedRules.From("nft-iptables-nat-ipv4.hex"))
        {
            var writer = new SnatTools.Core.Netlink.NetlinkWriter();
            int start = writer.BeginMessage(NftMessage.Type(NftMessage.NewRule), SnatTools.Core.Netlink.NetlinkFlags.Request, 1);
            writer.PutNfGenMsg(rule.Family, 0, rule.Generation16);
            rule.EncodeAttributes(writer, rule.Expressions, null);
            writer.EndMessage(start);

            var reader = new SnatTools.Core.Netlink.NetlinkMessageReader(writer.WrittenSpan);
            Assert.True(reader.TryNext(out var message));
            var again = NftRule.Decode(message);
            Assert.Equal(rule.Handle, again.Handle);
            Assert.Equal(rule.Expressions.Select(e => e.Raw.ToArray()), again.Expressions.Select(e => e.Raw.ToArray()));
            Assert.Equal(rule.Expressions.Select(e => e.Name), again.Expressions.Select(e => e.Name));
        }
    }
}
