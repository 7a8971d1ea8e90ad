namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m socket (uapi xt_socket.h): rev 0 has no data (XT_ALIGN(0), IPv4 only); rev 1, 2 and 3 a single
/// u8 flags (xt_socket_mtinfo1..3), aligned 8. The kernel allows it only on PREROUTING and INPUT.
/// </summary>
public sealed class SocketMatch : XtMatch
{
    private const byte Transparent = 1, NoWildcard = 2, RestoreSkMark = 4;  // XT_SOCKET_*

    private SocketMatch(uint revision, byte[] info)
        : base("socket", revision, info)
    {
    }

    public static SocketMatch? Decode(uint revision, byte[] info) => (revision, info.Length) switch
    {
        (0, 0) or (1 or 2 or 3, 8) => new SocketMatch(revision, info),
        _ => null,
    };

    /// <summary>socket_mt_save (rev 1: --transparent), _v2 (+ --nowildcard), _v3 (+ --restore-skmark).</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        if (Revision == 0)
        {
            return string.Empty;
        }

        byte flags = Info[0];
        return ((flags & Transparent) != 0 ? " --transparent" : string.Empty)
            + (Revision >= 2 && (flags & NoWildcard) != 0 ? " --nowildcard" : string.Empty)
            + (Revision >= 3 && (flags & RestoreSkMark) != 0 ? " --restore-skmark" : string.Empty);
    }
}
