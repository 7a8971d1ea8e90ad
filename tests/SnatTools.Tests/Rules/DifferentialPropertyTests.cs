using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Rules.Oracle;
using CsCheck;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Random source-NAT rule sets (matches, ranges, flags, comments, families, backends) loaded with
/// the real tools, read back by the module and compared field by field with the tools' own output.
/// SNATTOOLS_PBT_ITERATIONS overrides the number of cases.
/// </summary>
public sealed class DifferentialPropertyTests
{
    [SkippableFact]
    public void Random_rule_sets_read_back_exactly_as_the_tools_print_them()
    {
        Root.Require();
        long iterations = long.TryParse(Environment.GetEnvironmentVariable("SNATTOOLS_PBT_ITERATIONS"), out long n) ? n : 200;
        RandomRuleSets.Case.Sample(Check, iter: iterations, threads: 2, print: c => c.ToString());
    }

    private static void Check(RuleSetCase @case)
    {
        using var ns = new TestNamespace("pbt");
        if (@case.IsNative)
        {
            LiveRules.NftLoad(ns, @case.Ruleset());
        }
        else
        {
            LiveRules.IptablesRestore(ns, @case.Ruleset(), @case.Tool);
        }

        var rules = LiveRules.Read(ns, allChains: true);
        var oracle = SnatOracle.Read(ns, new HashSet<string> { @case.TableName });

        SnatOracle.AssertSame(oracle, rules);
        Assert.Equal(@case.Rules.Count, rules.Count);
        var reachable = LiveRules.Read(ns, allChains: false);
        Assert.Equal(rules.Where(r => r.Reachable == true).Select(r => r.Text), reachable.Select(r => r.Text));
        Assert.All(rules, r => Assert.Equal(!r.Chain.Equals("ORPHAN", StringComparison.OrdinalIgnoreCase), r.Reachable));
    }
}
