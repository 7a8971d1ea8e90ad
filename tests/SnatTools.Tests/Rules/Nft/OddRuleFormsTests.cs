using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SnatTools.Tests.Rules.Nft;

/// <summary>
/// Issue 17: rule forms that once made Get-SnatRule throw. Each is loaded with nft in front of a
/// masquerade, between two plain masquerade rules; all rules, including the odd one, must be read.
/// </summary>
public sealed class OddRuleFormsTests(ITestOutputHelper output)
{
    public static TheoryData<string> Forms => new()
    {
        "meta l4proto { 33-55, 66-88 }",
        "ip saddr . ip daddr { 198.18.0.1 . 198.18.1.1-198.18.1.2 }",
        "ip saddr vmap { 198.18.0.1 : drop, * : accept }",
        "meta mark set ip saddr map { 198.18.0.1 : 0x1, * : 0x2 }",
        "tcp dport { 22-23, 80-90 }",
        "meta mark { 0x1-0x2, 0x10-0x20 }",
        "ip saddr . tcp dport { 198.18.0.1 . 22-23 }",
        "ip saddr . ip daddr vmap { 198.18.0.1 . 198.18.1.0/24 : accept }",
        "meta l4proto . th dport { tcp . 22-23, udp . 53 }",
        "ct mark set ip saddr map { 198.18.0.1 : 0x1, * : 0x2 }",
        "ip saddr { * }",
    };

    [SkippableTheory]
    [MemberData(nameof(Forms))]
    public void An_odd_rule_is_read_with_its_neighbours(string form)
    {
        foreach (string family in (string[])["ip", "inet"])
        {
            OddRule(family, form);
        }
    }

    private void OddRule(string family, string form)
    {
        Root.Require();
        using var ns = new TestNamespace("oddform");
        output.WriteLine(family);
        try
        {
            LiveRules.NftLoad(ns, $"table {family} t {{\n chain p {{\n type nat hook postrouting priority 100;\n masquerade\n {form} masquerade\n oifname \"lo\" masquerade\n }}\n}}\n");
        }
        catch (Exception ex)
        {
            Skip.If(true, $"nft here refuses `{form}`: {ex.Message}");
        }

        var warnings = new List<string>();
        var rules = LiveRules.Read(ns, allChains: true, warnings);
        foreach (var rule in rules)
        {
            output.WriteLine($"{rule.Text}  [{string.Join("; ", rule.Unknown)}]");
        }

        Assert.Equal(3, rules.Count);
        Assert.Equal("masquerade", rules[0].Text);
        Assert.Equal("oifname \"lo\" masquerade", rules[2].Text);
        Assert.EndsWith("masquerade", rules[1].Text, StringComparison.Ordinal);

        using var host = new PowerShellHost();
        var (results, errors) = host.Invoke(
            "$r = Get-SnatRule -NetworkNamespace $ns; $r | ConvertTo-Json -Depth 4 | Out-Null; $r | Export-Csv -Path /dev/null; ($r | Out-String); $r.Count",
            new Dictionary<string, object?> { ["ns"] = ns.Name });
        Assert.Empty(errors);
        Assert.Equal(3, (int)results[^1].BaseObject);
    }
}
