namespace SnatTools.Core.Nftables;

/// <summary>enum nft_set_attributes and enum nft_set_flags. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaSet
{
    public const ushort Table = 1;
    public const ushort Name = 2;
    public const ushort Flags = 3;
    public const ushort KeyType = 4;
    public const ushort KeyLen = 5;
    public const ushort DataType = 6;
    public const ushort DataLen = 7;
    public const ushort Id = 10;
    public const ushort Pad = 14;
    public const ushort Handle = 16;

    public const uint FlagAnonymous = 0x1;
    public const uint FlagConstant = 0x2;
    public const uint FlagInterval = 0x4;
    public const uint FlagMap = 0x8;
    public const uint FlagTimeout = 0x10;
    public const uint FlagEval = 0x20;
    public const uint FlagObject = 0x40;
    public const uint FlagConcat = 0x80;
}
