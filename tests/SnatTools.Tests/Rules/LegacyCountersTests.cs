using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

/// <summary>
/// iptables-legacy has no in-place change: Set-SnatRule replaces the whole table
/// (IPT_SO_SET_REPLACE) and adds the old counters back (IPT_SO_SET_ADD_COUNTERS). Every rule of
/// the table keeps its packet and byte counts, changed or not.
/// </summary>
public sealed class LegacyCountersTests
{
    [SkippableTheory]
    [InlineData("iptables-legacy", "iptables-legacy-save", "198.18.0.0/16")]
    [InlineData("ip6tables-legacy", "ip6tables-legacy-save", "2001:db8::/64")]
    public void Every_rule_keeps_its_counters_through_a_repair(string tool, string save, string source)
    {
        Root.Require();
        using var ns = new TestNamespace("legcount");
        ns.Exec(tool, "-t", "nat", "-A", "POSTROUTING", "-s", source, "-j", "MASQUERADE", "-c", "1234", "567890");
        ns.Exec(tool, "-t", "nat", "-A", "POSTROUTING", "-s", source, "-o", "eth9", "-j", "MASQUERADE", "--random-fully", "-c", "77", "8888");
        ns.Exec(tool, "-t", "nat", "-A", "OUTPUT", "-d", source, "-j", "RETURN", "-c", "5", "600");
        using var host = new PowerShellHost();

        var (_, errors) = host.Invoke("Get-SnatRule -NetworkNamespace $ns -Backend IptablesLegacy | Set-SnatRule -RandomFully", new Dictionary<string, object?> { ["ns"] = ns.Name });

        Assert.Empty(errors);
        string after = ns.Exec(save, "-t", "nat", "-c");
        Assert.Contains($"[1234:567890] -A POSTROUTING -s {source} -j MASQUERADE --random-fully\n", after, StringComparison.Ordinal);
        Assert.Contains($"[77:8888] -A POSTROUTING -s {source} -o eth9 -j MASQUERADE --random-fully\n", after, StringComparison.Ordinal);
        Assert.Contains($"[5:600] -A OUTPUT -d {source} -j RETURN\n", after, StringComparison.Ordinal);
    }
}
