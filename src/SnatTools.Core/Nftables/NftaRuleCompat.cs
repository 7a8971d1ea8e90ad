namespace SnatTools.Core.Nftables;

/// <summary>enum nft_rule_compat_attributes and NFT_RULE_COMPAT_F_*. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaRuleCompat
{
    public const ushort Proto = 1;
    public const ushort Flags = 2;

    public const uint FlagInv = 2;
}
