using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules.Oracle;

/// <summary>
/// Every source-NAT rule of a test namespace as the real tools show it: iptables-nft-save,
/// ip6tables-nft-save, iptables-legacy-save, ip6tables-legacy-save (all with -c, and without -t
/// so that a missing legacy table is not created), and `nft -a list ruleset` for native tables.
/// </summary>
public static class SnatOracle
{
    public static IReadOnlyList<OracleRule> Read(TestNamespace ns, IReadOnlySet<string> nativeTables)
    {
        var rules = new List<OracleRule>();
        rules.AddRange(IptablesSaveOracle.Parse(Save(ns, "iptables-nft-save"), SnatBackend.IptablesNft, SnatFamily.IPv4));
        rules.AddRange(IptablesSaveOracle.Parse(Save(ns, "ip6tables-nft-save"), SnatBackend.IptablesNft, SnatFamily.IPv6));
        rules.AddRange(IptablesSaveOracle.Parse(Save(ns, "iptables-legacy-save"), SnatBackend.IptablesLegacy, SnatFamily.IPv4));
        rules.AddRange(IptablesSaveOracle.Parse(Save(ns, "ip6tables-legacy-save"), SnatBackend.IptablesLegacy, SnatFamily.IPv6));
        rules.AddRange(NftListOracle.Parse(ns.Exec("nft", "-a", "list", "ruleset"), nativeTables));
        return rules;
    }

    private static string Save(TestNamespace ns, string tool) => ns.Exec(tool, "-c");

    /// <summary>Asserts that our rules and the oracle's are the same rules with the same fields.</summary>
    public static void AssertSame(IReadOnlyList<OracleRule> expected, IReadOnlyList<SnatRule> actual)
    {
        var ours = actual.ToDictionary(r => (r.Backend, r.Family, r.Table, r.Chain, r.Position));
        Assert.Equal(
            expected.Select(e => e.Key).Order().ToList(),
            ours.Keys.Order().ToList());
        foreach (var e in expected)
        {
            var r = ours[e.Key];
            Assert.Equal(e.Text, r.Text);
            Assert.Equal(
                (e.Action, e.RandomFully, e.Random, e.Persistent, e.ToAddresses, e.ToPorts, e.OutInterface, e.OutInterfaceNegated, e.Matches, e.Comment),
                (r.Action, r.RandomFully, r.Random, r.Persistent, r.ToAddresses, r.ToPorts, r.OutInterface, r.OutInterfaceNegated, r.Matches, r.Comment));
            Assert.Equal((e.Packets, e.Bytes), (r.Packets, r.Bytes));
            Assert.True(ProtocolOf(e) == r.ProtocolNumber, $"{r.Text}: protocol {r.Protocol ?? "any"}, the oracle text says {ProtocolOf(e)?.ToString() ?? "any"}");
            if (e.Handle is not null)
            {
                Assert.Equal(e.Handle, r.Handle);
            }

            Assert.True(r.Decoded, $"{r.Text}: {string.Join("; ", r.Unknown)}");
        }
    }

    /// <summary>The protocol a rule is limited to, read from the oracle's text (-p tcp; meta l4proto udp; tcp dport ...).</summary>
    private static byte? ProtocolOf(OracleRule rule)
    {
        var match = rule.Backend == SnatBackend.Nftables
            ? System.Text.RegularExpressions.Regex.Match(rule.Text, @"(?:meta l4proto|ip protocol|ip6 nexthdr) (\w+)|\b(tcp|udp|sctp|dccp|udplite) [sd]port")
            : System.Text.RegularExpressions.Regex.Match(rule.Text, @"(?<!! )-p (\w+)");
        if (!match.Success)
        {
            return null;
        }

        string name = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
        return name switch
        {
            "tcp" => 6,
            "udp" => 17,
            "icmp" => 1,
            "dccp" => 33,
            "ipv6-icmp" or "icmpv6" => 58,
            "sctp" => 132,
            "udplite" => 136,
            _ => byte.Parse(name, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
