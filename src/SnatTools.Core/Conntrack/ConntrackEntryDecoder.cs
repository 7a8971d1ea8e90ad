using System.Net;
using System.Net.Sockets;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Conntrack;

/// <summary>
/// Decodes IPCTNL_MSG_CT_NEW messages (what a CT_GET dump answers with) into
/// <see cref="ConntrackEntry"/>. The status is looked at first, so a dump can skip entries it does
/// not keep without building their tuples.
/// </summary>
public static class ConntrackEntryDecoder
{
    /// <summary>AF_UNSPEC, AF_INET and AF_INET6 (linux/socket.h): a dump's family (unspecified: all), an entry's family.</summary>
    public const byte AfUnspec = 0;
    public const byte AfInet = 2;
    public const byte AfInet6 = 10;

    private static readonly ushort EntryMessage = NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Ctnetlink, CtnetlinkMessage.New);

    /// <summary>Decodes the entry when <c>(status &amp; mask) == value</c>; otherwise returns false without decoding it.</summary>
    public static bool TryDecode(in NetlinkMessage message, ConntrackStatus mask, ConntrackStatus value, out ConntrackEntry entry)
    {
        if ((ReadStatus(message) & mask) != value)
        {
            entry = null!;
            return false;
        }

        entry = Decode(message);
        return true;
    }

    public static ConntrackEntry Decode(in NetlinkMessage message)
    {
        ExpectEntry(message);
        var family = Family(message.NfGenMsg.Family);
        ConntrackTuple? original = null, reply = null;
        var status = ConntrackStatus.None;
        ushort zone = 0;
        uint? mark = null, timeout = null, id = null, use = null;
        TcpConntrackState? tcpState = null;
        SctpConntrackState? sctpState = null;
        List<UnknownAttribute>? unknown = null;
        foreach (var attribute in message.NfAttributes)
        {
            switch (attribute.Type)
            {
                case CtaEntry.TupleOrig: original = DecodeTuple(attribute, family, "CTA_TUPLE_ORIG"); break;
                case CtaEntry.TupleReply: reply = DecodeTuple(attribute, family, "CTA_TUPLE_REPLY"); break;
                case CtaEntry.Status: status = (ConntrackStatus)attribute.GetBe32(); break;
                case CtaEntry.Zone: zone = attribute.GetBe16(); break;
                case CtaEntry.Mark: mark = attribute.GetBe32(); break;
                case CtaEntry.Timeout: timeout = attribute.GetBe32(); break;
                case CtaEntry.Id: id = attribute.GetBe32(); break;
                case CtaEntry.Use: use = attribute.GetBe32(); break;
                case CtaEntry.ProtoInfo when DecodeProtoInfo(attribute, ref tcpState, ref sctpState): break;
                default: (unknown ??= []).Add(new UnknownAttribute(attribute.Type, attribute.GetBytes())); break;
            }
        }

        if (original is null || reply is null)
        {
            throw new NetlinkDecodeException($"a conntrack entry lacks {(original is null ? "CTA_TUPLE_ORIG" : "CTA_TUPLE_REPLY")}.");
        }

        return new ConntrackEntry(family, original, reply, status, zone, mark, timeout, id, use, (IReadOnlyList<UnknownAttribute>?)unknown ?? [], tcpState, sctpState);
    }

    /// <summary>
    /// The TCP or SCTP state from CTA_PROTOINFO (ctnetlink_dump_protoinfo: the protocol's
    /// to_nlattr). Window scales, TCP flags and SCTP verification tags are read past. False when
    /// the nest holds anything else (DCCP, a newer attribute): the caller keeps it whole.
    /// </summary>
    private static bool DecodeProtoInfo(NetlinkAttribute protoInfo, ref TcpConntrackState? tcpState, ref SctpConntrackState? sctpState)
    {
        TcpConntrackState? tcp = null;
        SctpConntrackState? sctp = null;
        foreach (var protocol in protoInfo.GetNested())
        {
            switch (protocol.Type)
            {
                case CtaProtoInfo.Tcp:
                    foreach (var field in protocol.GetNested())
                    {
                        if (field.Type == CtaProtoInfo.State)
                        {
                            tcp = (TcpConntrackState)field.GetU8();
                        }
                        else if (field.Type is < CtaProtoInfo.TcpWscaleOriginal or > CtaProtoInfo.TcpFlagsReply)
                        {
                            return false;
                        }
                    }

                    break;
                case CtaProtoInfo.Sctp:
                    foreach (var field in protocol.GetNested())
                    {
                        if (field.Type == CtaProtoInfo.State)
                        {
                            sctp = (SctpConntrackState)field.GetU8();
                        }
                        else if (field.Type is < CtaProtoInfo.SctpVtagOriginal or > CtaProtoInfo.SctpVtagReply)
                        {
                            return false;
                        }
                    }

                    break;
                default:
                    return false;
            }
        }

        tcpState = tcp ?? tcpState;
        sctpState = sctp ?? sctpState;
        return true;
    }

    /// <summary>CTA_STATUS alone (None when absent), without decoding anything else.</summary>
    public static ConntrackStatus ReadStatus(in NetlinkMessage message)
    {
        ExpectEntry(message);
        foreach (var attribute in message.NfAttributes)
        {
            if (attribute.Type == CtaEntry.Status)
            {
                return (ConntrackStatus)attribute.GetBe32();
            }
        }

        return ConntrackStatus.None;
    }

    private static ConntrackTuple DecodeTuple(NetlinkAttribute tuple, AddressFamily family, string name)
    {
        IPAddress? source = null, destination = null;
        byte? protocol = null;
        ushort? sourcePort = null, destinationPort = null, icmpId = null, zone = null;
        byte? icmpType = null, icmpCode = null;
        List<UnknownAttribute>? unknown = null;
        foreach (var part in tuple.GetNested())
        {
            switch (part.Type)
            {
                case CtaTuple.Ip:
                    bool ipComplete = true;
                    foreach (var ip in part.GetNested())
                    {
                        switch (ip.Type)
                        {
                            case CtaTuple.IpV4Source when family == AddressFamily.InterNetwork: source = Address(ip, 4); break;
                            case CtaTuple.IpV4Destination when family == AddressFamily.InterNetwork: destination = Address(ip, 4); break;
                            case CtaTuple.IpV6Source when family == AddressFamily.InterNetworkV6: source = Address(ip, 16); break;
                            case CtaTuple.IpV6Destination when family == AddressFamily.InterNetworkV6: destination = Address(ip, 16); break;
                            default: ipComplete = false; break;
                        }
                    }

                    if (!ipComplete)
                    {
                        (unknown ??= []).Add(new UnknownAttribute(part.Type, part.GetBytes()));
                    }

                    break;
                case CtaTuple.Proto:
                    bool protoComplete = true;
                    foreach (var proto in part.GetNested())
                    {
                        switch (proto.Type)
                        {
                            case CtaTuple.ProtoNumber: protocol = proto.GetU8(); break;
                            case CtaTuple.ProtoSourcePort: sourcePort = proto.GetBe16(); break;
                            case CtaTuple.ProtoDestinationPort: destinationPort = proto.GetBe16(); break;
                            case CtaTuple.ProtoIcmpId or CtaTuple.ProtoIcmpV6Id: icmpId = proto.GetBe16(); break;
                            case CtaTuple.ProtoIcmpType or CtaTuple.ProtoIcmpV6Type: icmpType = proto.GetU8(); break;
                            case CtaTuple.ProtoIcmpCode or CtaTuple.ProtoIcmpV6Code: icmpCode = proto.GetU8(); break;
                            default: protoComplete = false; break;
                        }
                    }

                    if (!protoComplete)
                    {
                        (unknown ??= []).Add(new UnknownAttribute(part.Type, part.GetBytes()));
                    }

                    break;
                case CtaTuple.Zone:
                    zone = part.GetBe16();
                    break;
                default:
                    (unknown ??= []).Add(new UnknownAttribute(part.Type, part.GetBytes()));
                    break;
            }
        }

        if (source is null || destination is null || protocol is null)
        {
            throw new NetlinkDecodeException($"{name} lacks its {(source is null ? "source address" : destination is null ? "destination address" : "protocol number")}.");
        }

        return new ConntrackTuple(source, destination, protocol.Value, sourcePort, destinationPort, icmpId, icmpType, icmpCode, zone, (IReadOnlyList<UnknownAttribute>?)unknown ?? []);
    }

    private static IPAddress Address(NetlinkAttribute attribute, int length)
    {
        if (attribute.Payload.Length != length)
        {
            throw new NetlinkDecodeException($"address attribute {attribute.Type} has {attribute.Payload.Length} bytes where {length} are required.");
        }

        return new IPAddress(attribute.Payload);
    }

    private static AddressFamily Family(byte family) => family switch
    {
        AfInet => AddressFamily.InterNetwork,
        AfInet6 => AddressFamily.InterNetworkV6,
        _ => throw new NetlinkDecodeException($"a conntrack entry has nfgen_family {family}; only AF_INET (2) and AF_INET6 (10) are tracked."),
    };

    private static void ExpectEntry(in NetlinkMessage message)
    {
        if (message.Type != EntryMessage)
        {
            throw new NetlinkDecodeException($"expected a ctnetlink entry (IPCTNL_MSG_CT_NEW, 0x{EntryMessage:x4}), got type 0x{message.Type:x4}.");
        }
    }
}
