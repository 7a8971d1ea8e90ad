namespace SnatTools.Core.Nftables;

/// <summary>enum nft_gen_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaGen
{
    public const ushort Id = 1;
    public const ushort ProcPid = 2;
    public const ushort ProcName = 3;
}
