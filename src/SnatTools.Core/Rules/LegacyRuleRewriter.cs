using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Linux;
using SnatTools.Core.Nat;

namespace SnatTools.Core.Rules;

/// <summary>
/// Rewrites the NAT flags of iptables-legacy rules of one table in one IPT_SO_SET_REPLACE, as
/// iptables-legacy itself changes a table: under the xtables lock, read the table, change the
/// flags word of each rule's MASQUERADE/SNAT target and nothing else, replace the table, add the
/// old counters back. A rule is found again by chain and position and must still be the same
/// entry (its bytes apart from counters); otherwise it changed since it was read and is left alone.
/// </summary>
internal sealed class LegacyRuleRewriter
{
    private readonly string? _networkNamespace;
    private readonly LegacyTableLayout _layout;
    private readonly string _table;
    private readonly NatFlagChange _change;
    private readonly TimeSpan _lockTimeout;
    private readonly IKernelDialer _dialer;

    public LegacyRuleRewriter(string? networkNamespace, bool isIPv6, string table, NatFlagChange change, TimeSpan lockTimeout, IKernelDialer dialer)
    {
        _dialer = dialer;
        _networkNamespace = networkNamespace;
        _layout = isIPv6 ? LegacyTableLayout.IPv6 : LegacyTableLayout.IPv4;
        _table = table;
        _change = change;
        _lockTimeout = lockTimeout;
    }

    /// <summary>How long the last <see cref="Apply"/> waited for the xtables lock.</summary>
    public TimeSpan LockWaited { get; private set; }

    public List<SnatRuleChange> Apply(IReadOnlyList<(SnatRule Rule, LegacyRuleLocator Locator)> rules)
    {
        using var xtablesLock = XtablesLock.Acquire(_lockTimeout, _dialer.XtablesLockPath);
        LockWaited = xtablesLock.Waited;
        var results = new List<SnatRuleChange>(rules.Count);
        using var xtables = _dialer.OpenXtables(_layout.IsIPv6, _networkNamespace);
        var table = LegacyTableReader.TryRead(xtables, _layout, _table);
        if (table is null)
        {
            return rules.Select(r => Failed(r.Rule, $"the iptables-legacy table {_table} no longer exists")).ToList();
        }

        var chains = LegacyTableParser.Parse(table, out _).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var changed = new List<(SnatRule Rule, int Offset, NatRangeFlags Old, NatRangeFlags New)>();
        var edited = table.Blob.ToArray();
        foreach (var (rule, locator) in rules)
        {
            var entry = chains.TryGetValue(locator.Chain, out var chain) && locator.Position <= chain.Rules.Count
                ? chain.Rules[locator.Position - 1]
                : null;
            if (entry?.Rule.NatTarget is not { } target || !entry.BytesWithoutCounters(_layout, table.Blob).AsSpan().SequenceEqual(locator.Entry))
            {
                results.Add(Failed(rule, $"chain {locator.Chain} no longer holds this rule at position {locator.Position}"));
                continue;
            }

            var old = target.Range.Flags;
            var wanted = _change.ApplyTo(old);
            if (wanted == old)
            {
                results.Add(new SnatRuleChange(rule, SnatRuleOutcome.AlreadySet, old, wanted));
                continue;
            }

            // Same entry sizes and offsets: only the flags word differs, so every jump stays valid.
            table.WriteNatFlags(edited, entry.Offset, wanted);
            changed.Add((rule, entry.Offset, old, wanted));
        }

        if (changed.Count > 0)
        {
            LegacyTableWriter.Replace(xtables, table, edited);
            var notPreserved = ReadBack(xtables, edited, changed.Select(c => (c.Rule, c.Offset)).ToList());
            results.AddRange(changed.Select(c => notPreserved.TryGetValue(c.Rule, out var error)
                ? new SnatRuleChange(c.Rule, SnatRuleOutcome.Failed, c.Old, c.New) { Error = error }
                : new SnatRuleChange(c.Rule, SnatRuleOutcome.Changed, c.Old, c.New)));
        }

        return results;
    }

    /// <summary>
    /// Reads the table again (still under the lock) and names each changed rule whose entry, or the
    /// table around it, now differs from what was sent other than in counters: a rule must never
    /// change silently beyond its flag.
    /// </summary>
    private Dictionary<SnatRule, SnatToolsException> ReadBack(IXtablesTransport xtables, byte[] sent, List<(SnatRule Rule, int Offset)> changed)
    {
        var now = LegacyTableReader.TryRead(xtables, _layout, _table);
        var differing = now is null ? [0] : RuleReadBack.LegacyDifferences(_layout, sent, now.Blob);
        if (differing.Count == 0)
        {
            return [];
        }

        var own = changed.Where(c => differing.Contains(c.Offset)).Select(c => c.Rule).ToList();
        string where = now is null ? "the table is gone" : $"{differing.Count} entr{(differing.Count == 1 ? "y differs" : "ies differ")} (offsets {string.Join(", ", differing.Take(8))})";
        return (own.Count > 0 ? own : changed.Select(c => c.Rule)).ToDictionary(r => r, r => new SnatToolsException(ErrorIds.RuleNotPreserved, ErrorKind.InvalidData,
            $"The rule {r.Text} ({(_layout.IsIPv6 ? "ip6tables" : "iptables")}-legacy table {_table}) was rewritten, but the table read back holds more than the changed flag: {where}. " +
            "Compare iptables-legacy-save with the rule as it was.", r));
    }

    private SnatRuleChange Failed(SnatRule rule, string why) =>
        new(rule, SnatRuleOutcome.Failed, rule.Flags, _change.ApplyTo(rule.Flags))
        {
            Error = new SnatToolsException(ErrorIds.RuleChanged, ErrorKind.ResourceBusy,
                $"The rule {rule.Text} ({(_layout.IsIPv6 ? "ip6tables" : "iptables")}-legacy table {_table}) changed since it was read: {why}. Nothing was changed; read the rules again with Get-SnatRule.", rule),
        };
}
