using System.Globalization;
using System.Net;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Conntrack;

/// <summary>
/// One direction of a conntrack entry (CTA_TUPLE_ORIG or CTA_TUPLE_REPLY): addresses, protocol,
/// and the protocol's key: ports for TCP/UDP/SCTP/UDP-Lite/DCCP, id, type and code for ICMP and
/// ICMPv6. In the reply tuple of a source-NATed entry the destination is the NAT address and the
/// destination port (or ICMP id) the port NAT chose.
/// </summary>
public sealed record ConntrackTuple(
    IPAddress Source,
    IPAddress Destination,
    byte Protocol,
    ushort? SourcePort,
    ushort? DestinationPort,
    ushort? IcmpId,
    byte? IcmpType,
    byte? IcmpCode,
    ushort? Zone,
    IReadOnlyList<UnknownAttribute> Unknown)
{
    public string ProtocolName => IpProtocol.Name(Protocol);

    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{ProtocolName} src={Source} dst={Destination}");
        if (SourcePort is not null || DestinationPort is not null)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" sport={SourcePort} dport={DestinationPort}");
        }

        if (IcmpId is not null)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" type={IcmpType} code={IcmpCode} id={IcmpId}");
        }

        return text;
    }
}
