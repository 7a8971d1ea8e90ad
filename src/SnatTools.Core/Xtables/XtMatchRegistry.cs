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
            "state" when revision == 0 => new StateMatch(revision, info),
            "multiport" => MultiportMatch.Decode(revision, info),
            "tcp" or "udp" => TcpUdpMatch.Decode(name, revision, info),
            "physdev" => PhysdevMatch.Decode(revision, info),
            "set" => SetMatch.Decode(revision, info),
            "iprange" => IpRangeMatch.Decode(revision, info),
            _ => null,
        };

        return match ?? new UnknownMatch(name, revision, info);
    }
}
