namespace SnatTools.Core.Nftables;

/// <summary>enum nft_range_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaRange
{
    public const ushort SReg = 1;
    public const ushort Op = 2;
    public const ushort FromData = 3;
    public const ushort ToData = 4;
}
