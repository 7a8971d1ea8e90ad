namespace SnatTools.Core.Nftables;

/// <summary>enum nft_table_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaTable
{
    public const ushort Name = 1;
    public const ushort Flags = 2;
    public const ushort Use = 3;
    public const ushort Handle = 4;
    public const ushort Pad = 5;
    public const ushort UserData = 6;
    public const ushort Owner = 7;
}
