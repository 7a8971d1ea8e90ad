namespace SnatTools.Core.Nftables;

/// <summary>enum nft_cmp_ops. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftCmpOp
{
    public const uint Eq = 0;
    public const uint Neq = 1;
    public const uint Lt = 2;
    public const uint Lte = 3;
    public const uint Gt = 4;
    public const uint Gte = 5;
}
