namespace SnatTools.Core.Nftables;

/// <summary>enum nft_meta_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaMeta
{
    public const ushort DReg = 1;
    public const ushort Key = 2;
    public const ushort SReg = 3;
}
