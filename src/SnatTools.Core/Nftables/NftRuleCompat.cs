namespace SnatTools.Core.Nftables;

/// <summary>
/// NFTA_RULE_COMPAT: the layer-4 protocol (and inversion) nft_compat hands to x_tables matches
/// as ipt_entry.ip.proto. The kernel does not dump it; it is derived from the rule's own
/// `meta l4proto` match the way iptables-nft sets it (add_compat in iptables/nft.c).
/// </summary>
public sealed record NftRuleCompat(uint Protocol, bool Inverted)
{
    public uint Flags => Inverted ? NftaRuleCompat.FlagInv : 0;
}
