namespace SnatTools.Core.Nftables;

/// <summary>enum nft_byteorder_attributes and enum nft_byteorder_ops. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaByteorder
{
    public const ushort SReg = 1;
    public const ushort DReg = 2;
    public const ushort Op = 3;
    public const ushort Len = 4;
    public const ushort Size = 5;

    public const uint NetworkToHost = 0;
    public const uint HostToNetwork = 1;
}
