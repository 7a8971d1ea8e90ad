using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Rules.Oracle;
using Xunit.Abstractions;

namespace SnatTools.Tests.Rules.Owners;

/// <summary>
/// The controllers' own rulesets (their test goldens, derived into our address ranges by
/// tests/tools/derive-controller-goldens.py), each loaded in bulk into a namespace of the test's own:
/// every NAT rule reads as the tools print it, is in the default (reachable) view, and has the
/// controller as Owner with the evidence its marks allow. The repair changes only the flag: it is
/// run once per distinct set of NAT rules (goldens that differ only outside the NAT rules repair alike).
/// </summary>
public sealed class OwnerGoldenTests(ITestOutputHelper output)
{
    public static TheoryData<string> Sources => new(OwnerGoldenCorpus.Files.Select(f => f.Name));

    [SkippableTheory]
    [MemberData(nameof(Sources))]
    public void Every_NAT_rule_of_a_controllers_goldens_has_its_owner_and_the_repair_adds_only_the_flag(string source)
    {
        Root.Require();
        var file = OwnerGoldenCorpus.Files.Single(f => f.Name == source);
        var wrong = new List<string>();
        var repaired = new HashSet<string>(StringComparer.Ordinal);
        int natRules = 0, rightlyOwned = 0, goldensWithNat = 0, repairs = 0;
        using var host = new PowerShellHost();

        foreach (var golden in file.Goldens)
        {
            using var ns = new TestNamespace("gold");
            golden.LoadInto(ns);
            var all = LiveRules.Read(ns);
            var reachable = LiveRules.Read(ns, allChains: false);

            SnatOracle.AssertSame(SnatOracle.Read(ns, golden.NativeTables), all);
            Assert.Equal(all.Select(Key), reachable.Select(Key));
            natRules += all.Count * golden.Names.Count;
            goldensWithNat += all.Count > 0 ? golden.Names.Count : 0;
            foreach (var rule in all)
            {
                if (file.IsRightlyOwned(rule))
                {
                    rightlyOwned += golden.Names.Count;
                }
                else
                {
                    wrong.Add($"{golden.Names[0]}: {rule.Table}/{rule.Chain}: {rule.Text} -> {rule.Owner} ({rule.OwnerEvidence}, guess {rule.OwnerIsGuess})");
                }
            }

            string natSignature = string.Join('\n', all.Select(r => $"{r.Backend} {r.Family} {r.Table} {r.Chain} {r.Text}"));
            if (all.Count > 0 && repaired.Add(natSignature))
            {
                SetSnatRuleRulesetTests.AssertRepairAddsOnlyTheFlag(ns, golden.NativeTables, host);
                repairs++;
            }
        }

        int goldens = file.Goldens.Sum(g => g.Names.Count);
        output.WriteLine(
            $"{file.Name} ({file.Source}): {goldens} goldens in {file.Goldens.Count} distinct rulesets, {goldensWithNat} with NAT rules; " +
            $"{natRules} NAT rules, {rightlyOwned} owned by {file.Owner} as expected ({file.Evidence}); {repairs} distinct repairs");
        Assert.True(wrong.Count == 0, $"{wrong.Count} rules not owned as expected:\n{string.Join('\n', wrong.Distinct().Take(40))}");
        Assert.Equal(natRules, rightlyOwned);
        Assert.True(goldensWithNat > 0, "no golden of this source has a NAT rule: the test would prove nothing");
    }

    private static (SnatBackend, SnatFamily, string, string, int) Key(SnatRule r) => (r.Backend, r.Family, r.Table, r.Chain, r.Position);
}
