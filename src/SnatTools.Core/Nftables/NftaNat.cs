namespace SnatTools.Core.Nftables;

/// <summary>enum nft_nat_attributes and enum nft_nat_types. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaNat
{
    public const ushort Type = 1;
    public const ushort Family = 2;
    public const ushort RegAddrMin = 3;
    public const ushort RegAddrMax = 4;
    public const ushort RegProtoMin = 5;
    public const ushort RegProtoMax = 6;
    public const ushort Flags = 7;

    public const uint TypeSnat = 0;
    public const uint TypeDnat = 1;
}
