namespace SnatTools.Core.Nftables;

/// <summary>enum nft_ct_keys (the ones the module names). From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftCtKey
{
    public const uint State = 0;
    public const uint Direction = 1;
    public const uint Status = 2;
    public const uint Mark = 3;
    public const uint SecMark = 4;
    public const uint Expiration = 5;
    public const uint Helper = 6;
    public const uint L3Protocol = 7;
    public const uint Source = 8;
    public const uint Destination = 9;
    public const uint Protocol = 10;
    public const uint ProtoSource = 11;
    public const uint ProtoDestination = 12;
    public const uint Labels = 13;
    public const uint Packets = 14;
    public const uint Bytes = 15;
    public const uint AveragePacket = 16;
    public const uint Zone = 17;
    public const uint EventMask = 18;
    public const uint SourceIp = 19;
    public const uint DestinationIp = 20;
    public const uint SourceIp6 = 21;
    public const uint DestinationIp6 = 22;
    public const uint Id = 23;
}
