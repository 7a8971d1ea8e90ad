namespace SnatTools.Core.Nftables;

/// <summary>enum nft_expr_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaExpr
{
    public const ushort Name = 1;
    public const ushort Data = 2;
}
