namespace SnatTools.Core.Nftables;

/// <summary>enum nft_range_ops. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftRangeOp
{
    public const uint Eq = 0;
    public const uint Neq = 1;
}
