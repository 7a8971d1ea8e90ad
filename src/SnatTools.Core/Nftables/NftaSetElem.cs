namespace SnatTools.Core.Nftables;

/// <summary>enum nft_set_elem_list_attributes, enum nft_set_elem_attributes, NFT_SET_ELEM_INTERVAL_END. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaSetElem
{
    public const ushort ListTable = 1;
    public const ushort ListSet = 2;
    public const ushort ListElements = 3;
    public const ushort ListSetId = 4;

    public const ushort Key = 1;
    public const ushort Data = 2;
    public const ushort Flags = 3;
    public const ushort KeyEnd = 10;

    public const uint FlagIntervalEnd = 0x1;
}
