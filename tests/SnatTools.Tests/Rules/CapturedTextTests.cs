using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Nftables;

namespace SnatTools.Tests.Rules;

/// <summary>Text of captured rules against what iptables-save / nft list printed for them at capture time.</summary>
public sealed class CapturedTextTests
{
    [Theory]
    [InlineData("nft-iptables-nat-ipv4.hex")]
    [InlineData("nft-iptables-nat-ipv6.hex")]
    public void IptablesNft_rules_print_as_iptables_save_printed_them(string capture)
    {
        var rules = CapturedRules.From(capture)
            .Select((rule, i) => SnatRuleFactory.FromNftRule(rule, i + 1, true, 1, null, null, null))
            .ToList();

        Assert.All(rules, r => Assert.Equal(SnatBackend.IptablesNft, r.Backend));
        Assert.All(rules, r => Assert.True(r.Decoded, string.Join("; ", r.Unknown)));
        Assert.Equal(CapturedRules.OracleLines(capture, "-A "), rules.Select(r => r.Text));
    }

    [Fact]
    public void A_revision_2_SNAT_prints_its_range2_where_iptables_1_8_9_misreads_it()
    {
        var rules = CapturedRules.From("nft-iptables-snat-rev2.hex")
            .Select((rule, i) => SnatRuleFactory.FromNftRule(rule, i + 1, true, 1, null, null, null)).ToList();
        var oracle = CapturedRules.OracleLines("nft-iptables-snat-rev2.hex", "-A ");

        Assert.Equal(oracle.SkipLast(1), rules.SkipLast(1).Select(r => r.Text));
        Assert.Equal("-A POSTROUTING -j SNAT --to-source :0 --random", oracle[^1]);
        Assert.Equal("-A POSTROUTING -j SNAT --to-source 198.19.0.1-198.19.0.2:3000-4000 --random-fully", rules[^1].Text);
        Assert.True(rules[^1].RandomFully);
    }

    [Fact]
    public void Native_rules_print_as_nft_list_printed_them()
    {
        var nftLines = CapturedRules.OracleLines("nft-native-nat.hex", string.Empty)
            .Where(l => !l.StartsWith("nf_tables", StringComparison.Ordinal))
            .Where(l => l.Contains("masquerade", StringComparison.Ordinal) || l.Contains("snat ", StringComparison.Ordinal)).ToList();
        var rules = CapturedRules.From("nft-native-nat.hex")
            .Where(r => r.Expressions.Any(e => e is SnatTools.Core.Nftables.Expressions.MasqExpression or SnatTools.Core.Nftables.Expressions.NatExpression))
            .Select((rule, i) => SnatRuleFactory.FromNftRule(rule, i + 1, true, 1, null, null, null))
            .ToList();

        Assert.All(rules, r => Assert.True(r.Decoded, string.Join("; ", r.Unknown)));
        Assert.Equal(nftLines.Order(StringComparer.Ordinal), rules.Select(r => r.Text).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("ipt-legacy-nat.hex", false)]
    [InlineData("ip6t-legacy-nat.hex", true)]
    public void Legacy_entries_print_as_iptables_legacy_save_printed_them(string capture, bool ipv6)
    {
        var buffers = Captures.Datagrams(capture);
        var table = LegacyTableReader.FromBuffers(ipv6 ? LegacyTableLayout.IPv6 : LegacyTableLayout.IPv4, buffers[0], buffers[1]);
        var chains = LegacyTableParser.Parse(table, out _);

        var all = chains.SelectMany(c => c.Rules.Select(e => (c.Name, e))).ToList();
        var text = all.Select(x => SnatTools.Core.Xtables.IptablesSaveFormatter.Format(x.Name, x.e.Rule, new SnatTools.Core.Xtables.XtSaveContext(ipv6, x.e.Rule.Protocol, null)));

        Assert.Equal(CapturedRules.OracleLines(capture, "-A ").Order(StringComparer.Ordinal), text.Order(StringComparer.Ordinal));
        Assert.Equal(["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING", .. ipv6 ? Array.Empty<string>() : ["KUBE-POSTROUTING"]], chains.Select(c => c.Name));
    }
}
