namespace SnatTools.Core.Nftables;

/// <summary>enum nf_inet_hooks (uapi linux/netfilter.h).</summary>
public static class NfInetHook
{
    public const uint PreRouting = 0;
    public const uint LocalIn = 1;
    public const uint Forward = 2;
    public const uint LocalOut = 3;
    public const uint PostRouting = 4;
}
