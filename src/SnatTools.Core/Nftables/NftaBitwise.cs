namespace SnatTools.Core.Nftables;

/// <summary>enum nft_bitwise_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaBitwise
{
    public const ushort SReg = 1;
    public const ushort DReg = 2;
    public const ushort Len = 3;
    public const ushort Mask = 4;
    public const ushort Xor = 5;
    public const ushort Op = 6;
    public const ushort Data = 7;
}
