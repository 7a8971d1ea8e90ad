namespace SnatTools.Core.Nftables;

/// <summary>enum nft_masq_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaMasq
{
    public const ushort Flags = 1;
    public const ushort RegProtoMin = 2;
    public const ushort RegProtoMax = 3;
}
