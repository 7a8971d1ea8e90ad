namespace SnatTools.Core.Nftables;

/// <summary>enum nft_list_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaList
{
    public const ushort Elem = 1;
}
