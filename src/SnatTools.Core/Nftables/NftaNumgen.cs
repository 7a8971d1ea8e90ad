namespace SnatTools.Core.Nftables;

/// <summary>enum nft_ng_attributes and enum nft_ng_types. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaNumgen
{
    public const ushort DReg = 1;
    public const ushort Modulus = 2;
    public const ushort Type = 3;
    public const ushort Offset = 4;

    public const uint TypeIncremental = 0;
    public const uint TypeRandom = 1;
}
