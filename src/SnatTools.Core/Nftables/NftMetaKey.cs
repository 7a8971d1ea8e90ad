namespace SnatTools.Core.Nftables;

/// <summary>enum nft_meta_keys (the ones the module names). From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftMetaKey
{
    public const uint Len = 0;
    public const uint Protocol = 1;
    public const uint Priority = 2;
    public const uint Mark = 3;
    public const uint Iif = 4;
    public const uint Oif = 5;
    public const uint IifName = 6;
    public const uint OifName = 7;
    public const uint IifType = 8;
    public const uint OifType = 9;
    public const uint SkUid = 10;
    public const uint SkGid = 11;
    public const uint NfTrace = 12;
    public const uint RtClassId = 13;
    public const uint SecMark = 14;
    public const uint NfProto = 15;
    public const uint L4Proto = 16;
    public const uint BriIifName = 17;
    public const uint BriOifName = 18;
    public const uint PktType = 19;
    public const uint Cpu = 20;
    public const uint IifGroup = 21;
    public const uint OifGroup = 22;
    public const uint CGroup = 23;
    public const uint PRandom = 24;
}
