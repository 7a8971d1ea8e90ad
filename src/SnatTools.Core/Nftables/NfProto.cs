namespace SnatTools.Core.Nftables;

/// <summary>NFPROTO_* (uapi linux/netfilter.h): the nfgenmsg family of nf_tables tables.</summary>
public static class NfProto
{
    public const byte Unspec = 0;
    public const byte Inet = 1;
    public const byte IPv4 = 2;
    public const byte Arp = 3;
    public const byte Netdev = 5;
    public const byte Bridge = 7;
    public const byte IPv6 = 10;

    /// <summary>The family keyword `nft` prints: ip, ip6, inet, ...</summary>
    public static string Name(byte family) => family switch
    {
        IPv4 => "ip",
        IPv6 => "ip6",
        Inet => "inet",
        Arp => "arp",
        Bridge => "bridge",
        Netdev => "netdev",
        _ => family.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
