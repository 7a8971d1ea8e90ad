using System.Net;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Rules.Oracle;
using Xunit.Abstractions;

namespace SnatTools.Tests.Rules;

/// <summary>
/// IPv6 addresses whose glibc text is not .NET's (SIIT ::ffff:0:a.b.c.d, ISATAP x::5efe:a.b.c.d,
/// ::ffff:0.0.0.x) and the neighbours they must not be confused with (IPv4-mapped, -compatible,
/// tied zero runs, a non-contiguous mask), in addresses, masks, ranges, sets, prefixes and NAT
/// targets: loaded with ip6tables-legacy-restore, ip6tables-nft-restore and nft -f (one each), read
/// once, and every rule's Text, ToAddresses and Matches equal what ip6tables-save and nft print.
/// The ::ffff:198.18.x.y forms are only match values here; no packet is sent.
/// </summary>
public sealed class AddressTextLiveTests(ITestOutputHelper output)
{
    private const string Siit = "::ffff:0:198.18.0.2", Isatap = "2001:db8::5efe:198.18.0.4";

    private static readonly string[] IptablesLines =
    [
        $"-s {Siit}/128 -d ::ffff:0.0.0.1/128 -j MASQUERADE",
        $"-s ::198.18.0.3/128 -d {Isatap}/128 -j MASQUERADE",
        "-s ::ffff:198.18.0.1/128 -d 2001:db8::1:0:0:1/128 -j MASQUERADE",
        "-s 2001:db8:0:1::1:0/ffff:ffff:0:ffff:: -j MASQUERADE",
        "-d 2001:db8::1:0:0:1/128 -j SNAT --to-source ::ffff:0:198.18.0.9-::ffff:0:198.18.0.10",
        "-p tcp -j SNAT --to-source [::ffff:0.0.0.9]:1000-2000",
        $"-m iprange --src-range ::ffff:0.0.0.1-{Siit} -j MASQUERADE",
        $"-m conntrack --ctorigsrc {Siit} --ctorigdst {Isatap} -j MASQUERADE",
        $"-m policy --dir out --pol ipsec --mode tunnel --tunnel-src {Siit} --tunnel-dst {Isatap} -j MASQUERADE",
    ];

    // nft 1.0.6's scanner reads no dotted tail after "::ffff:" or "::" (though it prints one), so these are in hex:
    // ::ffff:0:c612:2 is the SIIT address above, ::ffff:c612:1 the mapped and ::c612:3 the compatible one.
    private static readonly string[] NftIp6Lines =
    [
        "ip6 saddr ::ffff:0:c612:2 ip6 daddr ::ffff:0:1 masquerade",
        "ip6 saddr ::c612:3 ip6 daddr 2001:db8::5efe:c612:4 masquerade",
        "ip6 saddr { ::ffff:c612:1, ::ffff:0:c612:2, 2001:db8::1:0:0:1 } masquerade",
        "ip6 saddr ::ffff:0:c612:0/120 masquerade",
        "ip6 saddr ::ffff:0:1-::ffff:0:9 masquerade",
        "ip6 daddr 2001:db8:0:1::1:0 snat to ::ffff:0:c612:9-::ffff:0:c612:a",
        "meta l4proto tcp snat to [::ffff:0:c612:9]:1000-2000",
        "ip6 daddr 2001:db8::5efe:c612:4 snat to ::ffff:0:1",
    ];

    private static readonly string[] NftInetLines =
    [
        "ip6 saddr ::ffff:0:c612:2 snat ip6 to ::ffff:0:c612:9",
        "meta nfproto ipv6 snat ip6 to 2001:db8::5efe:c612:4",
    ];

    [SkippableFact]
    public void IPv6_addresses_read_back_as_ip6tables_save_and_nft_print_them_on_every_backend()
    {
        Root.Require();
        using var ns = new TestNamespace("addrtext");
        string iptables = "*nat\n" + string.Concat(IptablesLines.Select(l => $"-A POSTROUTING {l}\n")) + "COMMIT\n";
        LiveRules.IptablesRestore(ns, iptables, "ip6tables-legacy-restore");
        LiveRules.IptablesRestore(ns, iptables, "ip6tables-nft-restore");
        LiveRules.NftLoad(ns, Table("ip6", "xtc6", NftIp6Lines) + Table("inet", "xtcinet", NftInetLines));

        var expected = SnatOracle.Read(ns, new HashSet<string> { "xtc6", "xtcinet" });
        var actual = LiveRules.Read(ns);
        Assert.Equal((IptablesLines.Length * 2) + NftIp6Lines.Length + NftInetLines.Length, expected.Count);
        SnatOracle.AssertSame(expected, actual);

        // The tools print glibc's forms, which IPAddress.ToString would not: so the cases above do test the difference.
        string all = string.Join('\n', expected.Select(e => e.Text));
        foreach (string glibc in new[] { "::ffff:0:c612:2", "2001:db8::5efe:c612:4", "::ffff:0.0.0.1" })
        {
            Assert.Contains(glibc, all, StringComparison.Ordinal);
            Assert.DoesNotContain(IPAddress.Parse(glibc).ToString(), all, StringComparison.Ordinal);
        }

        foreach (var rule in expected)
        {
            output.WriteLine($"{rule.Backend} {rule.Family}: {rule.Text}");
        }
    }

    private static string Table(string family, string name, IEnumerable<string> rules) =>
        $"table {family} {name} {{\n  chain post {{\n    type nat hook postrouting priority srcnat; policy accept;\n"
        + string.Concat(rules.Select(r => $"    {r}\n")) + "  }\n}\n";
}
