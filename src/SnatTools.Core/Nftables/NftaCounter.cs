namespace SnatTools.Core.Nftables;

/// <summary>enum nft_counter_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaCounter
{
    public const ushort Bytes = 1;
    public const ushort Packets = 2;
    public const ushort Pad = 3;
}
