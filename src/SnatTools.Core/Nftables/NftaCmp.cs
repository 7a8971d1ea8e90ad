namespace SnatTools.Core.Nftables;

/// <summary>enum nft_cmp_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaCmp
{
    public const ushort SReg = 1;
    public const ushort Op = 2;
    public const ushort Data = 3;
}
