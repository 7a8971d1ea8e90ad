namespace SnatTools.Core.Nftables;

/// <summary>enum nft_ct_keys (the ones the module names). From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftCtKey
{
    public const uint State = 0;
    public const uint Direction = 1;
    public const uint Status = 2;
    public const uint Mark = 3;
}
