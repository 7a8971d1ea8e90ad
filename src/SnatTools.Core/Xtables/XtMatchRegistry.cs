using SnatTools.Core.Xtables.Matches;

namespace SnatTools.Core.Xtables;

/// <summary>Decodes an x_tables match blob by name and revision; anything else is an <see cref="UnknownMatch"/>.</summary>
public static class XtMatchRegistry
{
    public static XtMatch Decode(string name, uint revision, byte[] info)
    {
        XtMatch? match = name switch
        {
            "comment" when revision == 0 => new CommentMatch(revision, info),
            "mark" => MarkMatch.Decode(revision, info),
            "addrtype" => AddrTypeMatch.Decode(revision, info),
            "conntrack" => ConntrackMatch.Decode(revision, info),
            "state" => StateMatch.Decode(revision, info),
            "multiport" => MultiportMatch.Decode(revision, info),
            "tcp" or "udp" => TcpUdpMatch.Decode(name, revision, info),
            "physdev" => PhysdevMatch.Decode(revision, info),
            "set" => SetMatch.Decode(revision, info),
            "iprange" => IpRangeMatch.Decode(revision, info),
            "mac" => MacMatch.Decode(revision, info),
            "mh" => MhMatch.Decode(revision, info),
            "nfacct" => NfacctMatch.Decode(revision, info),
            "osf" => OsfMatch.Decode(revision, info),
            "owner" => OwnerMatch.Decode(revision, info),
            "pkttype" => PkttypeMatch.Decode(revision, info),
            "policy" => PolicyMatch.Decode(revision, info),
            "quota" => QuotaMatch.Decode(revision, info),
            "rateest" => RateestMatch.Decode(revision, info),
            "realm" => RealmMatch.Decode(revision, info),
            "recent" => RecentMatch.Decode(revision, info),
            "rpfilter" => RpfilterMatch.Decode(revision, info),
            "rt" => RtMatch.Decode(revision, info),
            "sctp" => SctpMatch.Decode(revision, info),
            "socket" => SocketMatch.Decode(revision, info),
            "srh" => SrhMatch.Decode(revision, info),
            "statistic" => StatisticMatch.Decode(revision, info),
            "string" => StringMatch.Decode(revision, info),
            "tcpmss" => TcpmssMatch.Decode(revision, info),
            "time" => TimeMatch.Decode(revision, info),
            "tos" => TosMatch.Decode(revision, info),
            "ttl" => TtlMatch.Decode(revision, info),
            "u32" => U32Match.Decode(revision, info),
            _ => null,
        };

        return match ?? new UnknownMatch(name, revision, info);
    }
}
