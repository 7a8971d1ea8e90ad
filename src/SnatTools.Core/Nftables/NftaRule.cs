namespace SnatTools.Core.Nftables;

/// <summary>enum nft_rule_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaRule
{
    public const ushort Table = 1;
    public const ushort Chain = 2;
    public const ushort Handle = 3;
    public const ushort Expressions = 4;
    public const ushort Compat = 5;
    public const ushort Position = 6;
    public const ushort UserData = 7;
    public const ushort Pad = 8;
    public const ushort Id = 9;
    public const ushort PositionId = 10;
    public const ushort ChainId = 11;
}
