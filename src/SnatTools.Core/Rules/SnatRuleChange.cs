using SnatTools.Core.Nat;

namespace SnatTools.Core.Rules;

/// <summary>
/// The result of Set-SnatRule for one rule: the rule as it was given, the flags it had in the
/// kernel and the flags it has now (or would have had), and how the write went.
/// </summary>
public sealed record SnatRuleChange(SnatRule Rule, SnatRuleOutcome Outcome, NatRangeFlags OldFlags, NatRangeFlags NewFlags)
{
    /// <summary>Why nothing was written, for <see cref="SnatRuleOutcome.Failed"/>.</summary>
    public SnatToolsException? Error { get; init; }

    /// <summary>
    /// How many times the write was refused or its read discarded because another writer changed
    /// the nf_tables ruleset in between (generation moved), each followed by a fresh read and a retry.
    /// Always 0 for iptables-legacy (the xtables lock keeps other iptables commands out).
    /// </summary>
    public int GenerationRetries { get; init; }

    /// <summary>The nf_tables handle of the rewritten rule (a replaced rule gets a new one); null for iptables-legacy.</summary>
    public ulong? NewHandle { get; init; }
}
