namespace SnatTools.Core.Nftables;

// Expression attribute numbers from uapi linux/netfilter/nf_tables.h and nf_tables_compat.h (6.1).

/// <summary>enum nft_immediate_attributes.</summary>
public static class NftaImmediate
{
    public const ushort DReg = 1;
    public const ushort Data = 2;
}

/// <summary>enum nft_cmp_attributes.</summary>
public static class NftaCmp
{
    public const ushort SReg = 1;
    public const ushort Op = 2;
    public const ushort Data = 3;
}

/// <summary>enum nft_range_attributes.</summary>
public static class NftaRange
{
    public const ushort SReg = 1;
    public const ushort Op = 2;
    public const ushort FromData = 3;
    public const ushort ToData = 4;
}

/// <summary>enum nft_lookup_attributes and NFT_LOOKUP_F_INV.</summary>
public static class NftaLookup
{
    public const ushort Set = 1;
    public const ushort SReg = 2;
    public const ushort DReg = 3;
    public const ushort SetId = 4;
    public const ushort Flags = 5;

    public const uint FlagInvert = 1;
}

/// <summary>enum nft_meta_attributes.</summary>
public static class NftaMeta
{
    public const ushort DReg = 1;
    public const ushort Key = 2;
    public const ushort SReg = 3;
}

/// <summary>enum nft_payload_attributes.</summary>
public static class NftaPayload
{
    public const ushort DReg = 1;
    public const ushort Base = 2;
    public const ushort Offset = 3;
    public const ushort Len = 4;
    public const ushort SReg = 5;
    public const ushort CsumType = 6;
    public const ushort CsumOffset = 7;
    public const ushort CsumFlags = 8;
}

/// <summary>enum nft_bitwise_attributes.</summary>
public static class NftaBitwise
{
    public const ushort SReg = 1;
    public const ushort DReg = 2;
    public const ushort Len = 3;
    public const ushort Mask = 4;
    public const ushort Xor = 5;
    public const ushort Op = 6;
    public const ushort Data = 7;
}

/// <summary>enum nft_counter_attributes.</summary>
public static class NftaCounter
{
    public const ushort Bytes = 1;
    public const ushort Packets = 2;
    public const ushort Pad = 3;
}

/// <summary>enum nft_ct_attributes.</summary>
public static class NftaCt
{
    public const ushort DReg = 1;
    public const ushort Key = 2;
    public const ushort Direction = 3;
    public const ushort SReg = 4;
}

/// <summary>enum nft_nat_attributes and enum nft_nat_types.</summary>
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

/// <summary>enum nft_masq_attributes.</summary>
public static class NftaMasq
{
    public const ushort Flags = 1;
    public const ushort RegProtoMin = 2;
    public const ushort RegProtoMax = 3;
}

/// <summary>NFTA_MATCH_* and NFTA_TARGET_* (uapi nf_tables_compat.h); both use the same numbers.</summary>
public static class NftaCompat
{
    public const ushort Name = 1;
    public const ushort Rev = 2;
    public const ushort Info = 3;
}

/// <summary>enum nft_fib_attributes.</summary>
public static class NftaFib
{
    public const ushort DReg = 1;
    public const ushort Result = 2;
    public const ushort Flags = 3;
}
