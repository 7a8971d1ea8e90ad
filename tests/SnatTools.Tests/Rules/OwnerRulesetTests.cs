using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Rules.Oracle;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Each controller's ruleset (<see cref="RealisticRulesets.Owners"/>), loaded with the real tools in
/// a namespace of the test's own: every NAT rule reads as the tools print it, is reachable, and has
/// the controller as Owner with the evidence that decided it; a rule with no mark of any controller
/// is Unknown. (The repair of the same rulesets is checked by <see cref="SetSnatRuleRulesetTests"/>.)
/// </summary>
public sealed class OwnerRulesetTests
{
    public static TheoryData<string> Rulesets => new(RealisticRulesets.Owners().Select(o => o.Name));

    [SkippableTheory]
    [MemberData(nameof(Rulesets))]
    public void Every_rule_of_a_controllers_ruleset_is_owned_by_it_and_says_why(string ruleset)
    {
        Root.Require();
        var (_, load, nativeTables, expected) = RealisticRulesets.Owners().Single(o => o.Name == ruleset);
        using var ns = new TestNamespace("own" + ruleset.ToLowerInvariant()[..Math.Min(8, ruleset.Length)]);
        load(ns);

        var rules = LiveRules.Read(ns);

        SnatOracle.AssertSame(SnatOracle.Read(ns, nativeTables), rules);
        Assert.Equal(expected.Rules, rules.Count);
        Assert.All(rules, r => Assert.True(r.Reachable == true, $"{r.Chain}: {r.Text} is not reachable"));
        foreach (var rule in rules)
        {
            Assert.True(expected.ByChain.TryGetValue(rule.Chain, out var want), $"no expectation for chain {rule.Chain}");
            string family = rule.Family switch { SnatFamily.IPv6 => "ip6", SnatFamily.Inet => "inet", _ => "ip" };
            string evidence = want.Evidence
                .Replace("{family}", family, StringComparison.Ordinal)
                .Replace("{v}", family == "ip6" ? "6" : "4", StringComparison.Ordinal)
                .Replace("{inet6}", family == "ip6" ? "inet6:" : string.Empty, StringComparison.Ordinal);
            Assert.Equal((want.Owner, want.Owner == SnatOwner.Unknown ? null : evidence, false), (rule.Owner, rule.OwnerEvidence, rule.OwnerIsGuess));
            Assert.Equal(OwnerAdvice.For(rule.Owner), rule.OwnerAdvice);
        }

        Assert.Equal(expected.ByChain.Keys.Order(), rules.Select(r => r.Chain).Distinct().Order());
    }
}
