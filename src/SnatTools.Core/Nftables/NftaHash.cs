namespace SnatTools.Core.Nftables;

/// <summary>enum nft_hash_attributes and enum nft_hash_types. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaHash
{
    public const ushort SReg = 1;
    public const ushort DReg = 2;
    public const ushort Len = 3;
    public const ushort Modulus = 4;
    public const ushort Seed = 5;
    public const ushort Offset = 6;
    public const ushort Type = 7;

    public const uint TypeJenkins = 0;
    public const uint TypeSymmetric = 1;
}
