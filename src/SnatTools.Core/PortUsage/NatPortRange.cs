using System.Globalization;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Race;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// The ports (or ICMP ids) source NAT can choose from for one connection: a rule's --to-ports,
/// or the kernel's default for the connection's original port. Unlike <see cref="PortRange"/> it
/// can start at 0, because ICMP ids use 0-65535.
/// </summary>
public readonly record struct NatPortRange
{
    public NatPortRange(int min, int max)
    {
        if (min < 0 || max > ushort.MaxValue || min > max)
        {
            throw new SnatToolsException(
                ErrorIds.InvalidPortRange, ErrorKind.InvalidArgument,
                $"A NAT port range must be 0-65535 with its first port not above its last; got {min}-{max}.",
                $"{min}-{max}");
        }

        Min = min;
        Max = max;
    }

    public int Min { get; }

    public int Max { get; }

    public int Size => Max - Min + 1;

    public bool Contains(int port) => port >= Min && port <= Max;

    public static NatPortRange From(PortRange range) => new(range.Min, range.Max);

    /// <summary>
    /// The range source NAT without --to-ports uses: for port protocols
    /// <see cref="PortRange.KernelNatDefault"/> of the original port; ICMP/ICMPv6 ids 0-65535.
    /// Null for protocols whose NAT changes no port (GRE outside PPTP, others).
    /// </summary>
    public static NatPortRange? KernelDefault(byte protocol, int originalPort) => protocol switch
    {
        IpProtocol.Tcp or IpProtocol.Udp or IpProtocol.Sctp or IpProtocol.UdpLite or IpProtocol.Dccp =>
            From(PortRange.KernelNatDefault(originalPort)),
        IpProtocol.Icmp or IpProtocol.IcmpV6 => new NatPortRange(0, 65535),
        _ => null,
    };

    /// <summary>The kernel default for one entry's protocol and original port (or ICMP id).</summary>
    public static NatPortRange? KernelDefault(ConntrackEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.OriginalPort is { } port ? KernelDefault(entry.Original.Protocol, port) : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");
}
