namespace SnatTools.Core.Nftables;

/// <summary>enum nft_chain_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaChain
{
    public const ushort Table = 1;
    public const ushort Handle = 2;
    public const ushort Name = 3;
    public const ushort Hook = 4;
    public const ushort Policy = 5;
    public const ushort Use = 6;
    public const ushort Type = 7;
    public const ushort Counters = 8;
    public const ushort Pad = 9;
    public const ushort Flags = 10;
    public const ushort Id = 11;
    public const ushort UserData = 12;
}
