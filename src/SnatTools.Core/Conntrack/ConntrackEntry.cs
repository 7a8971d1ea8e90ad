using System.Net;
using System.Net.Sockets;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Conntrack;

/// <summary>
/// One conntrack entry as an IPCTNL_MSG_CT_GET dump gives it: both tuples, the status bits, zone,
/// mark, the seconds left before it expires, its id and reference count, and the TCP or SCTP
/// state. Attributes not decoded here (counters, helpers, timestamps, DCCP state...) are kept in
/// <see cref="Unknown"/> with their bytes.
/// </summary>
public sealed record ConntrackEntry(
    AddressFamily Family,
    ConntrackTuple Original,
    ConntrackTuple Reply,
    ConntrackStatus Status,
    ushort Zone,
    uint? Mark,
    uint? TimeoutSeconds,
    uint? Id,
    uint? Use,
    IReadOnlyList<UnknownAttribute> Unknown,
    TcpConntrackState? TcpState = null,
    SctpConntrackState? SctpState = null)
{
    public bool IsSourceNat => (Status & ConntrackStatus.SourceNat) != 0;

    /// <summary>
    /// The zone the reply tuple is kept in, where the NAT port has to be unique: CTA_ZONE when the
    /// zone covers both directions, else the reply tuple's own CTA_TUPLE_ZONE, else 0. The kernel
    /// sends exactly one of the two (ctnetlink_dump_zone_id compares the zone's direction).
    /// </summary>
    public ushort ReplyZone => Zone != 0 ? Zone : Reply.Zone ?? 0;

    /// <summary>For a source-NATed entry: the address the source was rewritten to (the reply tuple's destination).</summary>
    public IPAddress NatAddress => Reply.Destination;

    /// <summary>
    /// For a source-NATed entry: the port (or ICMP id) NAT chose, from the reply tuple; null for
    /// protocols without one (GRE without a PPTP master, others).
    /// </summary>
    public ushort? NatPort => Reply.DestinationPort ?? Reply.IcmpId;

    /// <summary>The port (or ICMP id) the connection had before NAT.</summary>
    public ushort? OriginalPort => Original.SourcePort ?? Original.IcmpId;

    public override string ToString() => $"{Original} -> {Reply} status={Status}";
}
