using System.Net;
using SnatTools.Core.Linux;
using SnatTools.Core.Nat;
using SnatTools.Core.Output;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// Source-NAT port usage toward one destination: the connections that share a NAT address,
/// protocol, destination address and port (and conntrack zone and port range) compete for the
/// same ports, because their reply tuples differ only in the NAT port. The destination is the
/// peer the reply comes from (after DNAT, the real backend).
/// </summary>
public sealed class SnatPortUsage
{
    internal SnatPortUsage(
        IPAddress natAddress,
        byte protocolNumber,
        string protocol,
        IPAddress destination,
        int? destinationPort,
        ushort zone,
        PortRange portRange,
        IReadOnlyList<int> natPorts,
        int connections,
        string? networkNamespace)
    {
        NatIPAddress = natAddress;
        ProtocolNumber = protocolNumber;
        Protocol = protocol;
        DestinationIPAddress = destination;
        DestinationPort = destinationPort;
        Zone = zone;
        Range = portRange;
        NatPorts = new PortList(natPorts as IList<int> ?? [.. natPorts]);
        Connections = connections;
        NetworkNamespace = networkNamespace;
        PortsInRange = natPorts.Count(portRange.Contains);
        FillRatio = (double)PortsInRange / portRange.Size;
        CollisionProbability = SnatCollisionModel.FirstPickTaken(portRange, natPorts);
    }

    /// <summary>The address the sources were rewritten to ("198.18.0.1", "2001:db8::1").</summary>
    public string NatAddress => InetNtop.Format(NatIPAddress);

    /// <summary><see cref="NatAddress"/> as an IPAddress (whose own properties would fill JSON with AddressFamily and ScopeId).</summary>
    internal IPAddress NatIPAddress { get; }

    /// <summary>tcp, udp, icmp... as conntrack prints it.</summary>
    public string Protocol { get; }

    public byte ProtocolNumber { get; }

    /// <summary>The peer the replies come from ("198.19.0.2", "2001:db8::2"): after DNAT, the real backend.</summary>
    public string Destination => InetNtop.Format(DestinationIPAddress);

    internal IPAddress DestinationIPAddress { get; }

    /// <summary>Null for ICMP, whose NAT key is the echo id.</summary>
    public int? DestinationPort { get; }

    /// <summary>The conntrack zone (0 unless a ruleset sets one); zones do not share ports.</summary>
    public ushort Zone { get; }

    /// <summary>The ports NAT could choose from ("1024-65535"): the kernel default for the original port, or a rule's --to-ports.</summary>
    public string PortRange => Range.ToString();

    /// <summary><see cref="PortRange"/> as numbers.</summary>
    internal PortRange Range { get; }

    public int RangeSize => Range.Size;

    /// <summary>Distinct NAT ports (ICMP: ids) in use toward this destination.</summary>
    public int PortsInUse => NatPorts.Count;

    /// <summary>Those of <see cref="PortsInUse"/> inside <see cref="PortRange"/> (all of them unless a rule narrowed the range).</summary>
    public int PortsInRange { get; }

    /// <summary>Conntrack entries in the group: equal to <see cref="PortsInUse"/> unless entries share a reply tuple (possible only with direction-specific zones).</summary>
    public int Connections { get; }

    /// <summary><see cref="PortsInRange"/> / <see cref="RangeSize"/>.</summary>
    public double FillRatio { get; }

    /// <summary>
    /// The chance that one new random-fully allocation toward this destination first picks a
    /// port already in use (<see cref="SnatCollisionModel.FirstPickTaken"/>). For a burst of
    /// concurrent connections see <see cref="CollisionProbabilityForBurst"/>.
    /// </summary>
    public double CollisionProbability { get; }

    /// <summary>The NAT ports in use, ascending (as text: runs such as "1024-1030,2000").</summary>
    public IReadOnlyList<int> NatPorts { get; }

    public string? NetworkNamespace { get; }

    /// <summary>The chance that a burst of <paramref name="connections"/> concurrent new connections loses at least one to a port collision (<see cref="SnatCollisionModel.BurstCollision"/>).</summary>
    public double CollisionProbabilityForBurst(int connections) => SnatCollisionModel.BurstCollision(Range, FillRatio, connections);

    public override string ToString() => DestinationPort is null
        ? $"{NatAddress} -> {Destination} {Protocol}: {PortsInUse}/{RangeSize}"
        : $"{NatAddress} -> {Destination}:{DestinationPort} {Protocol}: {PortsInUse}/{RangeSize}";
}
