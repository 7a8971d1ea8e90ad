using SnatTools.Core.Linux;
using SnatTools.Core.Nat;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Nftables.Expressions;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Rules;

/// <summary>
/// Rewrites the NAT flags of nf_tables rules (native and iptables-nft) of one table in one
/// transaction. Each attempt reads every rule again by handle between two generation reads (so
/// the copy is consistent and its counters current), checks that it is still the rule that was
/// given (same expressions apart from counters, same user data: handles are unique within a
/// table, but a table deleted and created again starts over), then sends one batch carrying that
/// generation in NFNL_BATCH_GENID with one NEWRULE + NLM_F_REPLACE + NFTA_RULE_HANDLE per rule:
/// the same expressions with only the flag changed, counters at their current values, the user
/// data (comment) as it was, NFTA_RULE_COMPAT for x_tables matches, in place (the replacement
/// takes the old rule's position), and a fresh copy of each anonymous set the rule uses
/// (<see cref="NftAnonymousSet"/>). NLM_F_ECHO brings back each new rule and its handle. When
/// another writer committed in between, the kernel refuses the whole batch (ERESTART) and nothing
/// is applied; the attempt starts over, at most <see cref="MaxAttempts"/> times.
/// </summary>
internal sealed class NftRuleRewriter
{
    public const int MaxAttempts = 16;

    private readonly string? _networkNamespace;
    private readonly byte _family;
    private readonly string _table;
    private readonly NatFlagChange _change;
    private readonly Action? _beforeCommit;
    private readonly Action<uint, uint>? _afterCommit;
    private readonly IKernelDialer _dialer;

    /// <param name="afterCommit">Called with the writing socket's port id and the generation the commit created (the guard's own-change filter).</param>
    public NftRuleRewriter(string? networkNamespace, byte family, string table, NatFlagChange change, Action? beforeCommit, IKernelDialer dialer, Action<uint, uint>? afterCommit = null)
    {
        _afterCommit = afterCommit;
        _dialer = dialer;
        _networkNamespace = networkNamespace;
        _family = family;
        _table = table;
        _change = change;
        _beforeCommit = beforeCommit;
    }

    public List<SnatRuleChange> Apply(IReadOnlyList<(SnatRule Rule, NftRuleLocator Locator)> rules)
    {
        using var nft = NftReader.Open(_networkNamespace, _dialer);
        int retries = 0;
        var refused = new List<SnatRuleChange>();
        var remaining = rules.ToList();
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            rules = remaining;
            uint generation = nft.GetGeneration();
            var results = new List<SnatRuleChange>(rules.Count);
            var writes = new List<(SnatRule Rule, NftRuleLocator Locator, NftRule Current, NatRangeFlags Old, NatRangeFlags New)>();
            var anonymousSets = new Dictionary<string, NftAnonymousSet?>(StringComparer.Ordinal);
            foreach (var (rule, locator) in rules)
            {
                var current = nft.GetRule(_family, _table, locator.Chain, locator.Handle);
                if (current is null || !SameRule(locator.Rule, current))
                {
                    results.Add(new SnatRuleChange(rule, SnatRuleOutcome.Failed, rule.Flags, _change.ApplyTo(rule.Flags)) { Error = Gone(rule, locator, current is null) });
                    continue;
                }

                var old = NatFlags(current);
                var wanted = _change.ApplyTo(old);
                if (wanted == old)
                {
                    results.Add(new SnatRuleChange(rule, SnatRuleOutcome.AlreadySet, old, wanted));
                    continue;
                }

                writes.Add((rule, locator, current, old, wanted));
                foreach (string setName in current.Expressions.Select(e => e is LookupExpression lookup ? lookup.SetName : NftSendBack.ObjrefSet(e)).OfType<string>())
                {
                    if (!anonymousSets.ContainsKey(setName))
                    {
                        anonymousSets[setName] = NftAnonymousSet.TryRead(nft, _family, _table, setName);
                    }
                }
            }

            if (nft.GetGeneration() != generation)
            {
                retries++; // a writer committed while the rules were read: the copy may mix two generations
                continue;
            }

            if (writes.Count == 0)
            {
                return WithRetries([.. refused, .. results], retries);
            }

            var batch = new NftBatch(nft.Socket, generation);
            var bySequence = new Dictionary<uint, int>();
            var firstSequence = new uint[writes.Count];
            var sentExpressions = new IReadOnlyList<Expression>[writes.Count];
            uint setIds = 0;
            for (int i = 0; i < writes.Count; i++)
            {
                var (_, locator, current, _, wanted) = writes[i];
                firstSequence[i] = batch.LastSequence + 1;
                var expressions = current.ExpressionsWithNatFlags(wanted).Select(e =>
                {
                    if (e is LookupExpression lookup && anonymousSets[lookup.SetName] is { } set)
                    {
                        set.WriteCopy(batch, _family, _table, ++setIds);
                        return lookup.WithSet(set.CopyName, setIds);
                    }

                    // An objref map (`counter name tcp dport map { ... }`) is bound to its rule as a lookup's set is.
                    if (NftSendBack.ObjrefSet(e) is { } objrefSet && anonymousSets.GetValueOrDefault(objrefSet) is { } map)
                    {
                        map.WriteCopy(batch, _family, _table, ++setIds);
                        return NftSendBack.WithObjrefSet(e, map.CopyName, setIds);
                    }

                    return e;
                }).ToList();
                sentExpressions[i] = expressions;
                var writer = batch.BeginMessage(NftMessage.NewRule, _family, NetlinkFlags.Replace | NetlinkFlags.Echo);
                current.EncodeAttributes(writer, expressions, locator.Compat);
                batch.EndMessage();
                bySequence[batch.LastSequence] = i;
            }

            _beforeCommit?.Invoke();
            var echoed = new NftRule?[writes.Count];
            try
            {
                batch.Commit($"replace {writes.Count} rule(s) in table {NfProto.Name(_family)} {_table}", (in NetlinkMessage message) =>
                {
                    if (NftMessage.Of(message.Type) == NftMessage.NewRule && bySequence.TryGetValue(message.Sequence, out int index))
                    {
                        echoed[index] = NftRule.Decode(message);
                    }

                    return true;
                });
            }
            catch (NftGenerationChangedException)
            {
                retries++;
                continue;
            }
            catch (NetlinkException ex) when (writes.Count > 1 && batch.FailedSequence is { } failed && Array.FindLastIndex(firstSequence, first => first <= failed) is >= 0 and var bad)
            {
                // The kernel refuses the whole batch for one rule it will not take back (a dumped
                // attribute it does not accept on input): that rule fails on its own, the others go again.
                var (rule, _, _, old, wanted) = writes[bad];
                refused.Add(new SnatRuleChange(rule, SnatRuleOutcome.Failed, old, wanted) { Error = ex });
                remaining = remaining.Where(r => !ReferenceEquals(r.Rule, rule)).ToList();
                attempt--; // not a generation race: does not count against the retries
                continue;
            }

            // The batch carried `generation` and the kernel accepted it, so this commit made the next one
            // (nf_tables_commit: `while (++base_seq == 0);`), whatever commits follow before the reply is read.
            _afterCommit?.Invoke(nft.Socket.PortId, generation + 1 == 0 ? 1 : generation + 1);

            for (int i = 0; i < writes.Count; i++)
            {
                var (rule, _, current, old, wanted) = writes[i];
                // The echo is the new rule as the kernel dumps it after the commit: the read-back.
                string? difference = echoed[i] is { } back ? RuleReadBack.NftDifference(sentExpressions[i], current.UserData, back) : null;
                results.Add(difference is null
                    ? new SnatRuleChange(rule, SnatRuleOutcome.Changed, old, wanted) { NewHandle = echoed[i]?.Handle }
                    : new SnatRuleChange(rule, SnatRuleOutcome.Failed, old, wanted)
                    {
                        NewHandle = echoed[i]?.Handle,
                        Error = new SnatToolsException(ErrorIds.RuleNotPreserved, ErrorKind.InvalidData,
                            $"The rule {rule.Text} (table {NfProto.Name(_family)} {_table}) was rewritten, but reads back with more than the flag changed: {difference}. Compare `nft -a list table` with the rule as it was.", rule),
                    });
            }

            return WithRetries([.. refused, .. results], retries);
        }

        return refused.Concat(rules.Select(r => new SnatRuleChange(r.Rule, SnatRuleOutcome.Failed, r.Rule.Flags, _change.ApplyTo(r.Rule.Flags))
        {
            GenerationRetries = retries,
            Error = new SnatToolsException(ErrorIds.RuleChanged, ErrorKind.ResourceBusy,
                $"The nftables ruleset changed {retries} times while {r.Rule.Text} in table {NfProto.Name(_family)} {_table} was being rewritten " +
                "(another program writes rules continuously); nothing was changed. Try again.", r.Rule),
        })).ToList();
    }

    /// <summary>The NF_NAT_RANGE_* flags of the rule's source-NAT expression (masq, nat snat, or an x_tables MASQUERADE/SNAT target).</summary>
    internal static NatRangeFlags NatFlags(NftRule rule)
    {
        for (int i = rule.Expressions.Count - 1; i >= 0; i--)
        {
            switch (rule.Expressions[i])
            {
                case MasqExpression masq: return masq.Flags;
                case NatExpression { IsSnat: true } nat: return nat.Flags;
                case TargetExpression target when XtNatTarget.TryDecode(target.Extension, target.Revision, target.Info, rule.Family == NfProto.IPv6) is { } xt:
                    return xt.Range.Flags;
            }
        }

        return NatRangeFlags.None;
    }

    /// <summary>The same rule apart from traffic: every expression's configuration byte for byte (not counter, quota or last state), and the user data.</summary>
    internal static bool SameRule(NftRule given, NftRule current)
    {
        if (given.Expressions.Count != current.Expressions.Count
            || !(given.UserData ?? []).AsSpan().SequenceEqual(current.UserData ?? []))
        {
            return false;
        }

        for (int i = 0; i < given.Expressions.Count; i++)
        {
            var (a, b) = (given.Expressions[i], current.Expressions[i]);
            if (!NftSendBack.SameConfiguration(a, b))
            {
                return false;
            }
        }

        return true;
    }

    private SnatToolsException Gone(SnatRule rule, NftRuleLocator locator, bool missing) =>
        new(ErrorIds.RuleChanged, ErrorKind.ResourceBusy,
            missing
                ? $"The rule {rule.Text} (table {NfProto.Name(_family)} {_table}, chain {locator.Chain}, handle {locator.Handle}) is no longer in the kernel: it was deleted or replaced since it was read. Nothing was changed; read the rules again with Get-SnatRule."
                : $"The rule with handle {locator.Handle} in table {NfProto.Name(_family)} {_table}, chain {locator.Chain} is no longer {rule.Text} (the table was re-created since it was read). Nothing was changed; read the rules again with Get-SnatRule.",
            rule);

    private static List<SnatRuleChange> WithRetries(List<SnatRuleChange> results, int retries) =>
        retries == 0 ? results : results.Select(r => r with { GenerationRetries = retries }).ToList();
}
