namespace SnatTools.Core.Nftables;

/// <summary>enum nft_hook_attributes. From uapi linux/netfilter/nf_tables.h (6.1).</summary>
public static class NftaHook
{
    public const ushort HookNum = 1;
    public const ushort Priority = 2;
    public const ushort Dev = 3;
    public const ushort Devs = 4;
}
