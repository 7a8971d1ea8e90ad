using System.Net;
using System.Net.Sockets;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Conntrack;

/// <summary>
/// One conntrack entry as an IPCTNL_MSG_CT_GET dump gives it: both tuples, the status bits, zone,
/// mark, the seconds left before it expires, its id and reference count. Attributes not decoded here (protocol state,
/// counters, helpers, timestamps...) are kept in <see cref="Unknown"/> with their bytes.
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
    IReadOnlyList<UnknownAttribute> Unknown)
{
    public bool IsSourceNat => (Status & ConntrackStatus.SourceNat) != 0;

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
