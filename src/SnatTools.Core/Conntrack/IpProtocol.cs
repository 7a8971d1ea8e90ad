using System.Globalization;

namespace SnatTools.Core.Conntrack;

/// <summary>
/// IP protocol numbers (IPPROTO_*, uapi linux/in.h and linux/in6.h) with the names conntrack
/// prints, so objects and parameters read "tcp", not 6.
/// </summary>
public static class IpProtocol
{
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Dccp = 33;
    public const byte Gre = 47;
    public const byte IcmpV6 = 58;
    public const byte Sctp = 132;
    public const byte UdpLite = 136;

    /// <summary>The names -Protocol accepts, in the order tab completion offers them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tcp", "udp", "icmp", "icmpv6", "sctp", "udplite", "dccp", "gre"];

    public static string Name(byte protocol) => protocol switch
    {
        Icmp => "icmp",
        Tcp => "tcp",
        Udp => "udp",
        Dccp => "dccp",
        Gre => "gre",
        IcmpV6 => "icmpv6",
        Sctp => "sctp",
        UdpLite => "udplite",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Like <see cref="TryParse"/>, but an unknown name is an InvalidArgument error.</summary>
    public static byte Parse(string text) => TryParse(text, out byte protocol)
        ? protocol
        : throw new SnatToolsException(
            ErrorIds.InvalidArgument, ErrorKind.InvalidArgument,
            $"'{text}' is not an IP protocol: give one of {string.Join(", ", Names)} or a number 0-255.",
            text);

    /// <summary>Accepts a name from <see cref="Names"/> (any case) or a number 0-255.</summary>
    public static bool TryParse(string text, out byte protocol)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        foreach (byte known in (byte[])[Tcp, Udp, Icmp, IcmpV6, Sctp, UdpLite, Dccp, Gre])
        {
            if (string.Equals(Name(known), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                protocol = known;
                return true;
            }
        }

        return byte.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out protocol);
    }
}
