using SnatTools.Core.Xtables.Matches;

namespace SnatTools.Core.Xtables;

/// <summary>Decodes an x_tables match blob by name and revision; anything else is an <see cref="UnknownMatch"/>.</summary>
public static class XtMatchRegistry
{
    /// <summary>
    /// The match, or an <see cref="UnknownMatch"/> for a name, revision or blob no decoder takes;
    /// never an exception, so one odd match cannot hide its rule or the rules after it.
    /// </summary>
    public static XtMatch Decode(string name, uint revision, byte[] info)
    {
        try
        {
            return TryDecode(name, revision, info) ?? new UnknownMatch(name, revision, info);
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException or FormatException or OverflowException)
        {
            return new UnknownMatch(name, revision, info);
        }
    }

    private static XtMatch? TryDecode(string name, uint revision, byte[] info)
    {
        XtMatch? match = name switch
        {
            "comment" => CommentMatch.Decode(revision, info),
            "mark" => MarkMatch.Decode(revision, info),
            "addrtype" => AddrTypeMatch.Decode(revision, info),
            "conntrack" => ConntrackMatch.Decode(revision, info),
            "state" => StateMatch.Decode(revision, info),
            "multiport" => MultiportMatch.Decode(revision, info),
            "tcp" or "udp" => TcpUdpMatch.Decode(name, revision, info),
            "physdev" => PhysdevMatch.Decode(revision, info),
            "set" => SetMatch.Decode(revision, info),
            "iprange" => IpRangeMatch.Decode(revision, info),
            "ah" or "esp" or "ipcomp" => SpiMatch.Decode(name, revision, info),
            "bpf" => BpfMatch.Decode(revision, info),
            "cgroup" => CgroupMatch.Decode(revision, info),
            "cluster" => ClusterMatch.Decode(revision, info),
            "connbytes" => ConnbytesMatch.Decode(revision, info),
            "connlabel" => ConnlabelMatch.Decode(revision, info),
            "connlimit" => ConnlimitMatch.Decode(revision, info),
            "connmark" => MarkMatch.Decode(name, revision, info),
            "cpu" => CpuMatch.Decode(revision, info),
            "dccp" => DccpMatch.Decode(revision, info),
            "devgroup" => DevGroupMatch.Decode(revision, info),
            "dscp" => DscpMatch.Decode(revision, info),
            "ecn" => EcnMatch.Decode(revision, info),
            "helper" => HelperMatch.Decode(revision, info),
            "hl" => HlMatch.Decode(revision, info),
            "icmp" or "icmp6" => IcmpMatch.Decode(name, revision, info),
            "length" => LengthMatch.Decode(revision, info),
            "limit" => LimitMatch.Decode(revision, info),
            "hashlimit" => HashlimitMatch.Decode(revision, info),
            "frag" => FragMatch.Decode(revision, info),
            "dst" or "hbh" => OptionsHeaderMatch.Decode(name, revision, info),
            "ipv6header" => Ipv6HeaderMatch.Decode(revision, info),
            "ipvs" => IpvsMatch.Decode(revision, info),
            "eui64" => Eui64Match.Decode(revision, info),
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

        return match;
    }
}
