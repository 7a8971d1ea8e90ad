namespace SnatTools.Core.Nftables;

/// <summary>enum nft_verdict_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaVerdict
{
    public const ushort Code = 1;
    public const ushort Chain = 2;
    public const ushort ChainId = 3;
}
