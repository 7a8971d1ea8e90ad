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

        return match;
    }
}
