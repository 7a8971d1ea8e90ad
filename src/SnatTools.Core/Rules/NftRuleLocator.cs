using SnatTools.Core.Nftables;

namespace SnatTools.Core.Rules;

/// <summary>
/// An nf_tables rule: table family (NFPROTO_*), table, chain, handle, the generation id the rule
/// was read at (for NFNL_BATCH_GENID), and the decoded rule itself (its expressions are what a
/// replacement is built from).
/// </summary>
public sealed record NftRuleLocator(byte TableFamily, string Table, string Chain, ulong Handle, uint GenerationId, NftRule Rule) : RuleLocator
{
    /// <summary>
    /// NFTA_RULE_COMPAT for a replacement of an iptables-nft rule: the -p protocol x_tables matches
    /// were checked against (iptables' add_compat); null for native rules.
    /// </summary>
    public NftRuleCompat? Compat { get; init; }
}
