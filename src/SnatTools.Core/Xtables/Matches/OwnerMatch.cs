using System.Globalization;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m owner rev 1 (uapi xt_owner.h): struct xt_owner_match_info { u32 uid_min, uid_max, gid_min,
/// gid_max; u8 match, invert } = 20, aligned 24. The kernel accepts only rev 1 (rev 0 ipt_owner_info
/// is gone). iptables-save prints ids numerically (owner_mt_save passes numeric).
/// </summary>
public sealed class OwnerMatch : XtMatch
{
    private const int Size = 24;
    private const byte Uid = 1, Gid = 2, Socket = 4, SupplGroups = 8;  // XT_OWNER_*

    private OwnerMatch(byte[] info)
        : base("owner", 1, info)
    {
    }

    public static OwnerMatch? Decode(uint revision, byte[] info) => revision == 1 && info.Length == Size ? new OwnerMatch(info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        var text = new StringBuilder();
        Item(text, "--socket-exists", Socket);
        Item(text, "--uid-owner", Uid);
        Item(text, "--gid-owner", Gid);
        Item(text, "--suppl-groups", SupplGroups);
        return text.ToString();
    }

    /// <summary>owner_mt_print_item: "[!] label" and for uid/gid " min" or " min-max".</summary>
    private void Item(StringBuilder text, string label, byte flag)
    {
        byte match = Info[16], invert = Info[17];
        if ((match & flag) == 0)
        {
            return;
        }

        text.Append(XtText.Not((invert & flag) != 0)).Append(' ').Append(label);
        int at = flag switch { Uid => 0, Gid => 8, _ => -1 };
        if (at >= 0)
        {
            uint min = XtBlob.U32(Info, at), max = XtBlob.U32(Info, at + 4);
            text.Append(' ').Append(min.ToString(CultureInfo.InvariantCulture));
            if (min != max)
            {
                text.Append('-').Append(max.ToString(CultureInfo.InvariantCulture));
            }
        }
    }
}
