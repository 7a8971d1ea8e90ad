namespace SnatTools.Core.Nftables;

/// <summary>enum nft_ct_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaCt
{
    public const ushort DReg = 1;
    public const ushort Key = 2;
    public const ushort Direction = 3;
    public const ushort SReg = 4;
}
