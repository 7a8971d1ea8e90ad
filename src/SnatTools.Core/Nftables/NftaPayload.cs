namespace SnatTools.Core.Nftables;

/// <summary>enum nft_payload_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
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
