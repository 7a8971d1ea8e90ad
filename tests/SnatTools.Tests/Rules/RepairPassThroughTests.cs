using SnatTools.Core;
using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Nat;
using SnatTools.Core.Rules;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Rules;

/// <summary>
/// Repair is independent of display: a rule is refused only when its NAT part is not understood,
/// every other byte goes back as the kernel gave it, and the read-back catches any other change.
/// Matches with kernel-private state (limit, statistic, quota) load again and keep working.
/// </summary>
public sealed class RepairPassThroughTests
{
    [Fact]
    public void Only_a_rule_whose_nat_part_is_not_understood_is_refused()
    {
        var writer = new SnatRuleWriter(NatFlagChange.From(true, null, null));
        var unknownMatch = Rule(natDecoded: true, unknown: [new UnknownPart("policy", "match policy rev 0 is not decoded", "00")]);
        var unknownTarget = Rule(natDecoded: false, unknown: [new UnknownPart("MASQUERADE", "target MASQUERADE rev 7 is not decoded", "00")]);

        Assert.Null(writer.Refusal(unknownMatch));
        var refusal = writer.Refusal(unknownTarget);
        Assert.NotNull(refusal);
        Assert.Equal(ErrorIds.RuleNotDecodable, refusal.ErrorId);
    }

    [SkippableFact]
    public void A_legacy_table_read_back_names_the_entry_that_differs_and_nothing_else()
    {
        Root.Require();
        using var ns = new TestNamespace("readbackleg");
        LiveRules.IptablesRestore(ns, "*nat\n-A POSTROUTING -m statistic --mode nth --every 3 --packet 0 -j MASQUERADE\n-A POSTROUTING -m limit --limit 5/sec -j MASQUERADE\nCOMMIT\n", "iptables-legacy-restore");
        var table = LegacyTableReader.TryRead(LegacyTableLayout.IPv4, "nat", ns.Name)!;
        var rules = LiveRules.Read(ns, backend: SnatBackend.IptablesLegacy);
        int second = ((LegacyRuleLocator)rules.Single(r => r.Position == 2).Locator).EntryOffset;

        Assert.Empty(RuleReadBack.LegacyDifferences(table.Layout, table.Blob, table.Blob));
        var counted = table.Blob.ToArray();
        counted[second + table.Layout.CountersField] ^= 1;
        Assert.Empty(RuleReadBack.LegacyDifferences(table.Layout, table.Blob, counted));
        var other = table.Blob.ToArray();
        other[second + table.Layout.EntryHeaderLength + 32] ^= 1; // inside the limit match's data
        Assert.Equal([second], RuleReadBack.LegacyDifferences(table.Layout, table.Blob, other));
    }

    [SkippableFact]
    public void An_nf_tables_read_back_accepts_only_the_flag_it_was_sent()
    {
        Root.Require();
        using var ns = new TestNamespace("readbacknft");
        LiveRules.IptablesRestore(ns, "*nat\n-A POSTROUTING -m statistic --mode random --probability 0.5 -m comment --comment c1 -j MASQUERADE\nCOMMIT\n");
        var rule = Assert.Single(LiveRules.Read(ns, backend: SnatBackend.IptablesNft));
        var kernel = ((NftRuleLocator)rule.Locator).Rule;

        Assert.Null(RuleReadBack.NftDifference(kernel.Expressions, kernel.UserData, kernel));
        Assert.Contains("target", RuleReadBack.NftDifference(kernel.ExpressionsWithNatFlags(NatRangeFlags.ProtoRandomFully), kernel.UserData, kernel), StringComparison.Ordinal);
        Assert.Contains("user data", RuleReadBack.NftDifference(kernel.Expressions, [0, 1, 0x41], kernel), StringComparison.Ordinal);
    }

    /// <summary>
    /// statistic --every, limit and quota keep their running state in kernel-private memory that no
    /// dump shows; a repair (like any iptables-legacy change) starts it again, and the rules go on
    /// working. hashlimit's state lives in a table found by name, and survives.
    /// </summary>
    [SkippableTheory]
    [InlineData("iptables-legacy-restore")]
    [InlineData("iptables-nft-restore")]
    public void Rules_with_kernel_private_state_load_again_and_keep_matching(string restore)
    {
        Root.Require();
        using var ns = new TestNamespace("privstate");
        LiveRules.IptablesRestore(ns, """
            *nat
            -A POSTROUTING -p udp -m statistic --mode nth --every 2 --packet 0 -j MASQUERADE
            -A POSTROUTING -p udp -m limit --limit 1/hour --limit-burst 2 -j MASQUERADE
            -A POSTROUTING -p udp -m quota --quota 40 -j MASQUERADE
            -A POSTROUTING -p udp -m hashlimit --hashlimit-upto 1/hour --hashlimit-burst 1 --hashlimit-name xtarepair -j MASQUERADE
            COMMIT

            """, restore);
        SendFlows(ns, 1000);
        var before = Counts(ns, restore);
        using var host = new PowerShellHost();

        var (warnings, errors) = host.Invoke(
            "Get-SnatRule -NetworkNamespace $ns | Set-SnatRule -RandomFully -WarningVariable w -WarningAction SilentlyContinue; $w | ForEach-Object Message",
            new Dictionary<string, object?> { ["ns"] = ns.Name });
        SendFlows(ns, 2000);

        Assert.Empty(errors);
        // The operator is told, for each rule, what starts again (hashlimit keeps its state: no warning).
        var told = warnings.Select(w => w.ToString()).ToList();
        Assert.Equal(3, told.Count);
        Assert.Contains(told, w => w.Contains("-m statistic --mode nth counts from --packet again", StringComparison.Ordinal));
        Assert.Contains(told, w => w.Contains("-m limit has its whole burst again", StringComparison.Ordinal));
        Assert.Contains(told, w => w.Contains("-m quota has its whole quota again", StringComparison.Ordinal));
        Assert.All(told, w => Assert.Equal(restore.Contains("legacy", StringComparison.Ordinal), w.Contains("iptables-legacy table", StringComparison.Ordinal)));
        // 8 flows of one 29-byte packet: nth takes 4, limit 2 of the other 4, the 40-byte quota one
        // (11 bytes are left), hashlimit (one bucket) the last.
        Assert.Equal([4UL, 2UL, 1UL, 1UL], before);
        var after = Counts(ns, restore);
        Assert.All(LiveRules.Read(ns), r => Assert.True(r.RandomFully, r.Text));
        Assert.Equal(8UL, after[0]);               // every second flow again
        Assert.Equal(4UL, after[1]);               // the limit's credit was full again after the repair
        Assert.Equal(2UL, after[2]);               // the quota started again (11 bytes would not have taken a packet)
        Assert.Equal(1UL, after[3]);               // hashlimit kept its empty bucket (its table is found again by name)
    }

    /// <summary>
    /// Eight new UDP flows of one 29-byte packet each to 127.0.0.1, each to its own port: a source
    /// port chosen twice can never make a flow an existing connection (which would skip nat).
    /// </summary>
    private static void SendFlows(TestNamespace ns, int firstPort) =>
        ns.Exec("bash", "-c", $"for p in $(seq {firstPort} {firstPort + 7}); do echo 2>/dev/null > /dev/udp/127.0.0.1/$p || true; done");

    private static List<ulong> Counts(TestNamespace ns, string restore) =>
        LiveRules.Read(ns, backend: restore.Contains("legacy", StringComparison.Ordinal) ? SnatBackend.IptablesLegacy : SnatBackend.IptablesNft)
            .OrderBy(r => r.Position).Select(r => r.Packets ?? 0).ToList();

    private static SnatRule Rule(bool natDecoded, IReadOnlyList<UnknownPart> unknown) => new()
    {
        Backend = SnatBackend.IptablesLegacy,
        Family = SnatFamily.IPv4,
        Table = "nat",
        Chain = "POSTROUTING",
        Position = 1,
        Action = SnatAction.Masquerade,
        Flags = NatRangeFlags.None,
        Matches = "-m policy",
        Owner = SnatOwner.Unknown,
        Text = "-A POSTROUTING -m policy -j MASQUERADE",
        Unknown = unknown,
        NatDecoded = natDecoded,
        Locator = new LegacyRuleLocator(false, "nat", "POSTROUTING", 1, 0, [], string.Empty, 0, 0, 0),
    };
}
