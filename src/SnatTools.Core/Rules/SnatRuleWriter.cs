using SnatTools.Core.Linux;
using SnatTools.Core.Nat;
using SnatTools.Core.Nftables;
using SnatTools.Core.Xtables;

namespace SnatTools.Core.Rules;

/// <summary>
/// Set-SnatRule's engine: changes the random/random-fully/persistent flags of the given rules in
/// the kernel and nothing else. Rules are grouped by namespace and table; each nf_tables table is
/// rewritten in one generation-checked batch (<see cref="NftRuleRewriter"/>), each iptables-legacy
/// table in one replace under the xtables lock (<see cref="LegacyRuleRewriter"/>). A group either
/// changes completely or not at all.
/// </summary>
public sealed class SnatRuleWriter
{
    private readonly NatFlagChange _change;

    public SnatRuleWriter(NatFlagChange change)
    {
        _change = change;
    }

    /// <summary>How long to wait for another iptables-legacy writer to release the xtables lock.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How the writer reaches the kernel: the real one unless a test records or scripts it.</summary>
    public IKernelDialer Dialer { get; init; } = KernelDialer.Live;

    /// <summary>Test seam: runs just before each nf_tables batch is sent (a test moves the generation here).</summary>
    internal Action? BeforeNftCommit { get; init; }

    /// <summary>Runs after each accepted nf_tables batch with the socket's port id and the generation it created (the guard ignores its own events by them).</summary>
    internal Action<uint, uint>? AfterNftCommit { get; init; }

    /// <summary>
    /// Why <paramref name="rule"/> must not be rewritten with this change, or null when it may be:
    /// a rule whose NAT part is not understood is never rewritten (RuleNotDecodable; the other parts
    /// go back byte for byte whether or not they are decoded for display), and --persistent cannot
    /// be given to an x_tables MASQUERADE (iptables neither accepts nor shows it there).
    /// </summary>
    public SnatToolsException? Refusal(SnatRule rule)
    {
        if (!rule.NatDecoded)
        {
            return new SnatToolsException(ErrorIds.RuleNotDecodable, ErrorKind.InvalidData,
                $"The NAT part of the rule {rule.Text} is not understood by this version ({string.Join("; ", rule.Unknown.Select(u => u.Reason))}), so its flags cannot be changed. " +
                "Change it with the tool that wrote it.", rule);
        }

        if (rule.Backend != SnatBackend.Nftables && rule.Action == SnatAction.Masquerade && (_change.Set & NatRangeFlags.Persistent) != 0)
        {
            return new SnatToolsException(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument,
                $"iptables' MASQUERADE has no --persistent option, so iptables could neither show nor restore it on {rule.Text}; it is left unchanged.", rule);
        }

        return rule.Locator is NftRuleLocator or LegacyRuleLocator
            ? null
            : new SnatToolsException(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument, $"The rule {rule.Text} carries no kernel location; pass rules from Get-SnatRule.", rule);
    }

    /// <summary>
    /// Where a rule lives, for messages: "namespace lab-nat, IptablesNft, table ip nat, chain
    /// POSTROUTING, handle 4" or "..., IptablesLegacy, iptables table nat, chain POSTROUTING, position 1".
    /// </summary>
    public static string Location(SnatRule rule)
    {
        string table = rule.LocatorOrNull switch
        {
            NftRuleLocator n => $"table {NfProto.Name(n.TableFamily)} {n.Table}",
            LegacyRuleLocator l => $"{(l.IsIPv6 ? "ip6tables" : "iptables")} table {l.Table}",
            _ => $"table {rule.Table}",
        };
        string place = rule.Handle is { } handle ? $"handle {handle}" : $"position {rule.Position}";
        return $"namespace {rule.NetworkNamespace ?? "(current)"}, {rule.Backend}, {table}, chain {rule.Chain}, {place}";
    }

    /// <summary>
    /// What the change does to this rule, in its own tool's words: "add --random-fully (NAT range
    /// flags 0x0 -> 0x10)", or "nothing" when the rule already has the wanted flags.
    /// </summary>
    public string Describe(SnatRule rule)
    {
        var old = rule.Flags;
        var wanted = NewFlags(rule);
        bool nft = rule.Backend == SnatBackend.Nftables;
        var parts = new List<string>();
        foreach (var (flag, iptables, nftName) in (ReadOnlySpan<(NatRangeFlags, string, string)>)[
                     (NatRangeFlags.ProtoRandomFully, "--random-fully", "fully-random"),
                     (NatRangeFlags.ProtoRandom, "--random", "random"),
                     (NatRangeFlags.Persistent, "--persistent", "persistent")])
        {
            if ((old & flag) != (wanted & flag))
            {
                parts.Add($"{((wanted & flag) != 0 ? "add" : "remove")} {(nft ? nftName : iptables)}");
            }
        }

        return parts.Count == 0 ? "nothing" : $"{string.Join(", ", parts)} (NAT range flags 0x{(uint)old:x} -> 0x{(uint)wanted:x})";
    }

    /// <summary>The flags the rule would have after the change (computed from the flags it was read with).</summary>
    public NatRangeFlags NewFlags(SnatRule rule) => _change.ApplyTo(rule.Flags);

    /// <summary>
    /// Applies the change to every rule, one transaction per namespace and table, and reports
    /// each rule's outcome (in the order the groups were written). Rules refused by
    /// <see cref="Refusal"/> must be left out by the caller.
    /// </summary>
    public IEnumerable<SnatRuleChange> Apply(IReadOnlyList<SnatRule> rules)
    {
        foreach (var group in rules.Where(r => r.Locator is NftRuleLocator).Select(r => (Rule: r, Locator: (NftRuleLocator)r.Locator))
                     .GroupBy(r => (r.Rule.NetworkNamespace, r.Locator.TableFamily, r.Locator.Table)))
        {
            var rewriter = new NftRuleRewriter(group.Key.NetworkNamespace, group.Key.TableFamily, group.Key.Table, _change, BeforeNftCommit, Dialer, AfterNftCommit);
            foreach (var result in Guard(group.Select(r => r.Rule), () => rewriter.Apply(group.ToList())))
            {
                yield return result;
            }
        }

        foreach (var group in rules.Where(r => r.Locator is LegacyRuleLocator).Select(r => (Rule: r, Locator: (LegacyRuleLocator)r.Locator))
                     .GroupBy(r => (r.Rule.NetworkNamespace, r.Locator.IsIPv6, r.Locator.Table)))
        {
            var rewriter = new LegacyRuleRewriter(group.Key.NetworkNamespace, group.Key.IsIPv6, group.Key.Table, _change, LockTimeout, Dialer);
            foreach (var result in Guard(group.Select(r => r.Rule), () => rewriter.Apply(group.ToList())))
            {
                yield return result;
            }
        }
    }

    /// <summary>
    /// The rules as the kernel holds them after <paramref name="changes"/>: read again and picked
    /// by their new handle (nf_tables) or chain and position (iptables-legacy).
    /// </summary>
    public static IEnumerable<SnatRule> ReadBack(IReadOnlyList<SnatRuleChange> changes, IKernelDialer? dialer = null)
    {
        foreach (var group in changes.Where(c => c.Outcome != SnatRuleOutcome.Failed).GroupBy(c => (c.Rule.NetworkNamespace, c.Rule.Backend, c.Rule.Table)))
        {
            var query = new SnatRuleQuery
            {
                NetworkNamespace = group.Key.NetworkNamespace,
                Table = group.Key.Table,
                Backend = group.Key.Backend,
                AllChains = true,
            };
            var now = new SnatRuleReader(query, dialer: dialer).Read().ToList();
            foreach (var change in group)
            {
                var match = change.Rule.Locator switch
                {
                    // LocatorOrNull: a rule of the same table read too little to have a locator is simply not this one.
                    NftRuleLocator n => now.FirstOrDefault(r => r.LocatorOrNull is NftRuleLocator m && m.TableFamily == n.TableFamily && m.Chain == n.Chain && r.Handle == (change.NewHandle ?? n.Handle)),
                    LegacyRuleLocator l => now.FirstOrDefault(r => r.LocatorOrNull is LegacyRuleLocator m && m.IsIPv6 == l.IsIPv6 && m.Chain == l.Chain && m.Position == l.Position),
                    _ => null,
                };
                if (match is not null)
                {
                    yield return match;
                }
            }
        }
    }

    /// <summary>A failure of a whole group (no permission, a netlink error) becomes that error for each of its rules.</summary>
    private List<SnatRuleChange> Guard(IEnumerable<SnatRule> group, Func<List<SnatRuleChange>> apply)
    {
        try
        {
            return apply();
        }
        catch (SnatToolsException ex)
        {
            if (ex.Kind == ErrorKind.PermissionDenied)
            {
                throw;
            }

            return group.Select(r => new SnatRuleChange(r, SnatRuleOutcome.Failed, r.Flags, _change.ApplyTo(r.Flags)) { Error = ex }).ToList();
        }
    }
}
