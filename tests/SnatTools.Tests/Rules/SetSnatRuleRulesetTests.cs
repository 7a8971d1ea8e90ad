using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;
using SnatTools.Tests.Rules.Oracle;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Every realistic ruleset of the Get-SnatRule tests, repaired with
/// `Get-SnatRule -AllChains | Set-SnatRule -RandomFully`: the real tools must show the same
/// rulesets with only --random-fully / fully-random added to the rules that lacked it, counters
/// never lower, and iptables-restore must accept what iptables-save prints afterwards.
/// </summary>
public sealed class SetSnatRuleRulesetTests
{
    private static readonly (string Save, string Restore)[] RestoreTools =
    [
        ("iptables-nft-save", "iptables-nft-restore"),
        ("ip6tables-nft-save", "ip6tables-nft-restore"),
        ("iptables-legacy-save", "iptables-legacy-restore"),
        ("ip6tables-legacy-save", "ip6tables-legacy-restore"),
    ];

    public static TheoryData<string> Rulesets => new(RealisticRulesets.All.Keys);

    [SkippableTheory]
    [MemberData(nameof(Rulesets))]
    public void Random_fully_is_added_to_every_rule_and_nothing_else_changes(string ruleset)
    {
        Root.Require();
        using var ns = new TestNamespace("set" + ruleset.ToLowerInvariant()[..Math.Min(6, ruleset.Length)]);
        var (load, nativeTables) = RealisticRulesets.All[ruleset];
        load(ns);
        using var host = new PowerShellHost();
        AssertRepairAddsOnlyTheFlag(ns, nativeTables, host);
    }

    /// <summary>
    /// Repairs every rule of the namespace with `Get-SnatRule -AllChains | Set-SnatRule -RandomFully`
    /// and asserts that the real tools show only the flag added (shared with the controller-golden tests).
    /// </summary>
    internal static void AssertRepairAddsOnlyTheFlag(TestNamespace ns, IReadOnlySet<string> nativeTables, PowerShellHost host)
    {
        var rules = LiveRules.Read(ns);
        int lacking = rules.Count(r => !r.RandomFully);
        int lackingNative = rules.Count(r => !r.RandomFully && r.Backend == SnatBackend.Nftables);
        int lackingIptablesNft = rules.Count(r => !r.RandomFully && r.Backend == SnatBackend.IptablesNft);
        var before = RulesetSnapshot.Take(ns);

        var (output, errors) = host.Invoke(
            "Get-SnatRule -NetworkNamespace $ns -AllChains | Set-SnatRule -RandomFully -PassThru",
            new Dictionary<string, object?> { ["ns"] = ns.Name });

        Assert.Empty(errors);
        var after = RulesetSnapshot.Take(ns);
        var added = RulesetSnapshot.AssertOnlyRandomFullyAdded(before, after);
        Assert.Equal(lacking - lackingNative, added.Where(a => a.Key != "nft").Sum(a => a.Value));
        // nft shows native rules and, translated to its own syntax where it can, iptables-nft rules.
        Assert.InRange(added["nft"], lackingNative, lackingNative + lackingIptablesNft);
        var passedThrough = output.Select(o => Assert.IsType<SnatRule>(o.BaseObject)).ToList();
        Assert.Equal(lacking, passedThrough.Count);
        Assert.All(passedThrough, r => Assert.True(r.RandomFully && r.Decoded, r.Text));

        var now = LiveRules.Read(ns);
        SnatOracle.AssertSame(SnatOracle.Read(ns, nativeTables), now);
        Assert.All(now, r => Assert.True(r.RandomFully, r.Text));
        // Same rules at the same places: position, chain and everything but the flag (and the nft handle) kept.
        Assert.Equal(
            rules.Select(r => (r.Backend, r.Family, r.Table, r.Chain, r.Position, r.Matches, r.Comment, r.ToAddresses, r.ToPorts, r.Flags | Core.Nat.NatRangeFlags.ProtoRandomFully)),
            now.Select(r => (r.Backend, r.Family, r.Table, r.Chain, r.Position, r.Matches, r.Comment, r.ToAddresses, r.ToPorts, r.Flags)));

        foreach (var (save, restore) in RestoreTools)
        {
            string text = ns.Exec(save);
            if (text.Length > 0)
            {
                ns.ExecWithInput(text, restore, "--test");
            }
        }
    }
}
