using System.Diagnostics;
using System.Globalization;
using System.Text;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Set-SnatRule on tables far larger than one netlink datagram's default limit (a Kubernetes node
/// with thousands of masquerade rules): every table is still changed in one transaction.
/// </summary>
public sealed class SetSnatRuleLargeTableTests(ITestOutputHelper output)
{
    private const int Rules = 5000;

    [SkippableFact]
    public void Five_thousand_iptables_nft_and_five_thousand_nft_rules_are_all_repaired_by_one_call()
    {
        Root.Require();
        using var ns = new TestNamespace("setbig");
        LiveRules.IptablesRestore(ns, IptablesNftTable(Rules));
        LiveRules.NftLoad(ns, NftTable(Rules));
        var before = RulesetSnapshot.Take(ns);
        using var host = new PowerShellHost();

        var read = Stopwatch.StartNew();
        var (rules, readErrors) = host.Invoke("Get-SnatRule -NetworkNamespace $ns", new Dictionary<string, object?> { ["ns"] = ns.Name });
        read.Stop();
        Assert.Empty(readErrors);
        Assert.Equal(2 * Rules, rules.Count);

        var write = Stopwatch.StartNew();
        var (_, errors) = host.Invoke("$rules | Set-SnatRule -RandomFully", new Dictionary<string, object?> { ["rules"] = rules });
        write.Stop();

        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(3).Select(e => e.ToString())));
        var added = RulesetSnapshot.AssertOnlyRandomFullyAdded(before, RulesetSnapshot.Take(ns));
        Assert.Equal(Rules, added["iptables-nft-save"]);
        Assert.Equal(Rules, added["nft"] - Rules); // nft list ruleset shows the iptables-nft rules too
        Assert.All(LiveRules.Read(ns, allChains: false), r => Assert.True(r.RandomFully, r.Text));
        output.WriteLine($"Get-SnatRule read {2 * Rules} rules in {read.ElapsedMilliseconds} ms; Set-SnatRule -RandomFully repaired them in {write.ElapsedMilliseconds} ms (two tables, one transaction each).");
    }

    /// <summary>An iptables-nft-restore input: <paramref name="count"/> MASQUERADE rules in POSTROUTING, one source address each.</summary>
    internal static string IptablesNftTable(int count)
    {
        var text = new StringBuilder("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"-A POSTROUTING -s 198.18.{i / 256}.{i % 256}/32 -j MASQUERADE\n");
        }

        return text.Append("COMMIT\n").ToString();
    }

    /// <summary>An nft -f input: table ip natx with <paramref name="count"/> masquerade rules in one base chain.</summary>
    internal static string NftTable(int count)
    {
        var text = new StringBuilder("table ip natx {\n\tchain post {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\t\tip saddr 198.19.{i / 256}.{i % 256} masquerade\n");
        }

        return text.Append("\t}\n}\n").ToString();
    }
}
