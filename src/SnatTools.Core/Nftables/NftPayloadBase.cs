namespace SnatTools.Core.Nftables;

/// <summary>enum nft_payload_bases. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftPayloadBase
{
    public const uint LinkLayer = 0;
    public const uint Network = 1;
    public const uint Transport = 2;
    public const uint Inner = 3;
}
