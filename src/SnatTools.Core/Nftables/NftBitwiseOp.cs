namespace SnatTools.Core.Nftables;

/// <summary>enum nft_bitwise_ops. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftBitwiseOp
{
    public const uint MaskXor = 0;
    public const uint LeftShift = 1;
    public const uint RightShift = 2;
}
