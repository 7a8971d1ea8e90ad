namespace SnatTools.Core.Nftables;

/// <summary>enum nft_lookup_attributes and NFT_LOOKUP_F_INV. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaLookup
{
    public const ushort Set = 1;
    public const ushort SReg = 2;
    public const ushort DReg = 3;
    public const ushort SetId = 4;
    public const ushort Flags = 5;

    public const uint FlagInvert = 1;
}
