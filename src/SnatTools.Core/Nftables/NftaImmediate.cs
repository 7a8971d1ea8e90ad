namespace SnatTools.Core.Nftables;

/// <summary>enum nft_immediate_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaImmediate
{
    public const ushort DReg = 1;
    public const ushort Data = 2;
}
