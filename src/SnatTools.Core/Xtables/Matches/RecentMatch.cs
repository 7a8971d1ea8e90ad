using System.Globalization;
using System.Net;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m recent (uapi xt_recent.h): rev 0 struct xt_recent_mtinfo { u32 seconds, hit_count; u8
/// check_set, invert; char name[200]; u8 side } = 211, aligned 216; rev 1 adds union nf_inet_addr
/// mask at 212 = 228, aligned 232. All of it is the user's.
/// </summary>
public sealed class RecentMatch : XtMatch
{
    private const int NameLength = 200;  // XT_RECENT_NAME_LEN
    private const byte Check = 1, Set = 2, Update = 4, Remove = 8, Ttl = 16, Reap = 32;  // XT_RECENT_*

    private RecentMatch(uint revision, byte[] info)
        : base("recent", revision, info)
    {
    }

    public static RecentMatch? Decode(uint revision, byte[] info) =>
        ((revision == 0 && info.Length == 216) || (revision == 1 && info.Length == 232)) && info.AsSpan(10, NameLength).Contains((byte)0)
            ? new RecentMatch(revision, info)
            : null;

    /// <summary>recent_save: the actions, --seconds and --hitcount as %d, --name unquoted, rev 1's --mask, then the side.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        byte checkSet = Info[8];
        var text = new StringBuilder(XtText.Not(Info[9] != 0));
        Flag(text, checkSet, Set, " --set");
        Flag(text, checkSet, Check, " --rcheck");
        Flag(text, checkSet, Update, " --update");
        Flag(text, checkSet, Remove, " --remove");
        int seconds = XtBlob.I32(Info, 0), hitCount = XtBlob.I32(Info, 4);
        if (seconds != 0)
        {
            text.Append(" --seconds ").Append(seconds.ToString(CultureInfo.InvariantCulture));
        }

        Flag(text, checkSet, Reap, " --reap");
        if (hitCount != 0)
        {
            text.Append(" --hitcount ").Append(hitCount.ToString(CultureInfo.InvariantCulture));
        }

        Flag(text, checkSet, Ttl, " --rttl");
        text.Append(" --name ").Append(XtBlob.CString(Info, 10, NameLength));
        if (Revision == 1)
        {
            text.Append(" --mask ").Append(XtText.Address(new IPAddress(Info.AsSpan(212, context.IsIPv6 ? 16 : 4))));
        }

        text.Append(Info[210] switch { 0 => " --rsource", 1 => " --rdest", _ => string.Empty });
        return text.ToString();
    }

    private static void Flag(StringBuilder text, byte checkSet, byte flag, string option)
    {
        if ((checkSet & flag) != 0)
        {
            text.Append(option);
        }
    }
}
