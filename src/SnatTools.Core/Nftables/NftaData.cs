namespace SnatTools.Core.Nftables;

/// <summary>enum nft_data_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaData
{
    public const ushort Value = 1;
    public const ushort Verdict = 2;
}
