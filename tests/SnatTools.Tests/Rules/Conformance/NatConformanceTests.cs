using System.Text.RegularExpressions;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Rules.Oracle;
using Xunit.Abstractions;

namespace SnatTools.Tests.Rules.Conformance;

/// <summary>
/// Every source-NAT form of the conformance corpus (<see cref="NatFormCorpus"/>), loaded with the
/// real tools, reads back through Get-SnatRule -AllChains exactly as the tool prints it: the same
/// text, flags, addresses and ports, and never an address the rule does not hold; and
/// Set-SnatRule -RandomFully changes nothing on any of them but the flag.
/// </summary>
public sealed partial class NatConformanceTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Every_nat_form_reads_back_as_the_tool_prints_it()
    {
        Root.Require();
        using var ns = new TestNamespace("conform");
        var (loaded, refused) = NatFormCorpus.LoadInto(ns);
        Report(loaded, refused);

        var rules = LiveRules.Read(ns, allChains: true);
        var oracle = SnatOracle.Read(ns, loaded.Where(c => c.IsNative).Select(c => c.Table).ToHashSet());
        var ours = rules.ToDictionary(r => (r.Backend, r.Family, r.Table, r.Chain, r.Position));
        var failures = new List<string>();
        foreach (var expected in oracle)
        {
            string form = Describe(loaded, expected);
            if (!ours.Remove(expected.Key, out var rule))
            {
                failures.Add($"{form}: not read back");
                continue;
            }

            failures.AddRange(Differences(expected, rule, NamedMapText(ns, rule)).Select(d => $"{form}: {d}"));
        }

        failures.AddRange(ours.Values.Select(r => $"{r.Text}: read back, but the tools show no such rule"));
        output.WriteLine($"{oracle.Count} source-NAT rules from {loaded.Count} loaded cases; {failures.Count} differences.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(NatFormCorpus.Cases.Count, loaded.Count + refused.Count);
        Assert.True(oracle.Count >= loaded.Count, $"{oracle.Count} rules for {loaded.Count} cases");
    }

    [SkippableFact]
    public void Random_fully_on_every_nat_form_changes_only_the_flag()
    {
        Root.Require();
        using var ns = new TestNamespace("conformset");
        var (loaded, refused) = NatFormCorpus.LoadInto(ns);
        Report(loaded, refused);
        var rules = LiveRules.Read(ns, allChains: true);
        Assert.All(rules, r => Assert.True(r.Decoded, $"{r.Text}: {string.Join("; ", r.Unknown)}"));
        int lacking = rules.Count(r => !r.RandomFully);
        var before = RulesetSnapshot.Take(ns);
        using var host = new PowerShellHost();

        var (changed, errors) = host.Invoke(
            "Get-SnatRule -NetworkNamespace $ns -AllChains | Set-SnatRule -RandomFully -PassThru",
            new Dictionary<string, object?> { ["ns"] = ns.Name });

        Assert.Empty(errors);
        var added = RulesetSnapshot.AssertOnlyRandomFullyAdded(before, RulesetSnapshot.Take(ns));
        int nativeLacking = rules.Count(r => !r.RandomFully && r.Backend == SnatBackend.Nftables);
        Assert.Equal(lacking - nativeLacking, added.Where(a => a.Key != "nft").Sum(a => a.Value));
        Assert.True(added["nft"] >= nativeLacking, $"nft shows {added["nft"]} rules gaining fully-random; {nativeLacking} native rules lacked it");
        Assert.Equal(lacking, changed.Count);
        var now = LiveRules.Read(ns, allChains: true);
        Assert.Equal(
            rules.Select(r => (r.Table, r.Chain, r.Position, r.Matches, r.ToAddresses, r.ToPorts, r.Flags | Core.Nat.NatRangeFlags.ProtoRandomFully)),
            now.Select(r => (r.Table, r.Chain, r.Position, r.Matches, r.ToAddresses, r.ToPorts, r.Flags)));
        output.WriteLine($"{rules.Count} rules, {lacking} lacked random-fully and gained only it.");
    }

    /// <summary>`nft list map` of the named map a rule takes its addresses from, else empty.</summary>
    private static string NamedMapText(TestNamespace ns, SnatRule rule) =>
        rule.AddressMap?.Name is { } name ? ns.Exec("nft", "list", "map", rule.Family == SnatFamily.IPv6 ? "ip6" : rule.Family == SnatFamily.Inet ? "inet" : "ip", rule.Table, name) : string.Empty;

    /// <summary>Every field the tool's text shows, and addresses that all appear in that text (or in the named map it uses).</summary>
    private static IEnumerable<string> Differences(OracleRule expected, SnatRule rule, string namedMap)
    {
        if (expected.Text != rule.Text)
        {
            yield return $"text is \"{rule.Text}\"";
        }

        if (!rule.Decoded)
        {
            yield return $"not decoded: {string.Join("; ", rule.Unknown.Select(u => u.Reason))}";
        }

        var fields = (expected.Action, expected.RandomFully, expected.Random, expected.Persistent, expected.ToAddresses, expected.ToPorts, expected.OutInterface, expected.OutInterfaceNegated, expected.Matches, expected.Comment);
        var read = (rule.Action, rule.RandomFully, rule.Random, rule.Persistent, rule.ToAddresses, rule.ToPorts, rule.OutInterface, rule.OutInterfaceNegated, rule.Matches, rule.Comment);
        if (fields != read)
        {
            yield return $"fields are {read}, the tool shows {fields}";
        }

        if (expected.Handle is not null && expected.Handle != rule.Handle)
        {
            yield return $"handle {rule.Handle}, the tool shows {expected.Handle}";
        }

        foreach (Match address in Address().Matches($"{rule.ToAddresses} {string.Join(' ', rule.AddressMap?.Entries.Select(e => e.Addresses) ?? [])}"))
        {
            if (!expected.Text.Contains(address.Value, StringComparison.Ordinal) && !namedMap.Contains(address.Value, StringComparison.Ordinal))
            {
                yield return $"address {address.Value} is not in the rule";
            }
        }

        if (rule.ToAddresses?.Contains(" map ", StringComparison.Ordinal) == true && rule.AddressMap is not { Entries.Count: > 0 })
        {
            yield return "addresses come from a map, but its entries are not given";
        }
    }

    private static string Describe(IReadOnlyList<NatFormCase> loaded, OracleRule rule) =>
        loaded.FirstOrDefault(c => c.IsNative ? c.Table == rule.Table : rule.Backend != SnatBackend.Nftables && rule.Text.EndsWith(c.Rule, StringComparison.Ordinal))?.ToString()
        ?? $"{rule.Backend} {rule.Table} {rule.Chain} #{rule.Position}: {rule.Text}";

    private void Report(List<NatFormCase> loaded, List<(NatFormCase Case, string Reason)> refused)
    {
        output.WriteLine($"{NatFormCorpus.Cases.Count} cases: {loaded.Count} loaded, {refused.Count} refused by the kernel or the tool.");
        foreach (var (@case, reason) in refused)
        {
            output.WriteLine($"  refused {@case}: {reason}");
        }
    }

    [GeneratedRegex(@"\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b")]
    private static partial Regex Address();
}
