namespace SnatTools.Core.Nftables;

/// <summary>enum nft_fib_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaFib
{
    public const ushort DReg = 1;
    public const ushort Result = 2;
    public const ushort Flags = 3;
}
