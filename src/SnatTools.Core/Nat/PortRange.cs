using System.Globalization;
using SnatTools.Core.Conntrack;

namespace SnatTools.Core.Nat;

/// <summary>
/// An inclusive range of ports (or ICMP ids): a NAT rule's <c>--to-ports</c>, the range source
/// NAT draws from, or a host's ip_local_port_range. 0 is allowed for ICMP ids (0-65535); text
/// that a person writes (<see cref="Parse"/>) names TCP/UDP ports, from 1.
/// </summary>
public readonly record struct PortRange
{
    /// <summary>Linux's default net.ipv4.ip_local_port_range, 32768-60999 (net/ipv4/af_inet.c, inet_init_net; also what this machine shows).</summary>
    public static readonly PortRange LinuxEphemeralDefault = new(32768, 60999);

    /// <summary>
    /// The range nf_nat_l4proto_unique_tuple draws from for source NAT without --to-ports
    /// (net/netfilter/nf_nat_core.c; docs/guide/kernel-facts.md §7), by the original port: below 512 → 1-511,
    /// 512-1023 → 600-1023, else 1024-65535.
    /// </summary>
    public static PortRange KernelNatDefault(int originalPort) => originalPort switch
    {
        < 512 => new PortRange(1, 511),
        < 1024 => new PortRange(600, 1023),
        _ => new PortRange(1024, 65535),
    };

    /// <summary>
    /// The range source NAT without --to-ports uses for <paramref name="protocol"/>: for port
    /// protocols <see cref="KernelNatDefault"/> of the original port; ICMP/ICMPv6 ids 0-65535. Null
    /// for protocols whose NAT changes no port (GRE outside PPTP, others).
    /// </summary>
    public static PortRange? KernelNatDefault(byte protocol, int originalPort) => protocol switch
    {
        IpProtocol.Tcp or IpProtocol.Udp or IpProtocol.Sctp or IpProtocol.UdpLite or IpProtocol.Dccp => KernelNatDefault(originalPort),
        IpProtocol.Icmp or IpProtocol.IcmpV6 => new PortRange(0, 65535),
        _ => null,
    };

    public PortRange(int min, int max)
    {
        if (min < 0 || max > 65535 || min > max)
        {
            throw new SnatToolsException(
                ErrorIds.InvalidPortRange, ErrorKind.InvalidArgument,
                $"A port range must be 0-65535 with its first port not above its last; got {min}-{max}.",
                $"{min}-{max}");
        }

        Min = min;
        Max = max;
    }

    public int Min { get; }

    public int Max { get; }

    public int Size => Max - Min + 1;

    public bool Contains(int port) => port >= Min && port <= Max;

    /// <summary>Parses "1024-65535", "1024:65535" or a single port "8080" (TCP/UDP ports: from 1).</summary>
    /// <exception cref="SnatToolsException">InvalidPortRange when the text is not a port range.</exception>
    public static PortRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        int separator = trimmed.IndexOfAny(['-', ':']);
        var first = separator < 0 ? trimmed : trimmed[..separator];
        var last = separator < 0 ? trimmed : trimmed[(separator + 1)..];
        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int min)
            || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int max)
            || min < 1)
        {
            throw new SnatToolsException(
                ErrorIds.InvalidPortRange, ErrorKind.InvalidArgument,
                $"'{text}' is not a port range: write it as <first>-<last> with ports from 1 to 65535 (for example 1024-65535), or as one port.",
                text);
        }

        return new PortRange(min, max);
    }

    public override string ToString() => Min == Max
        ? Min.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");
}
