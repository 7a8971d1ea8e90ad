using System.Globalization;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m tos rev 1 (uapi xt_dscp.h): struct xt_tos_match_info { u8 tos_mask, tos_value, invert } = 3,
/// aligned 8. The kernel accepts only rev 1 (rev 0 ipt_tos_info is gone).
/// </summary>
public sealed class TosMatch : XtMatch
{
    private const int Size = 8;

    private TosMatch(byte[] info)
        : base("tos", 1, info)
    {
    }

    public static TosMatch? Decode(uint revision, byte[] info) => revision == 1 && info.Length == Size ? new TosMatch(info) : null;

    /// <summary>tos_mt_save: "[!] --tos 0x%02x/0x%02x" value then mask.</summary>
    public override string SaveOptions(XtSaveContext context) =>
        string.Create(CultureInfo.InvariantCulture, $"{XtText.Not(Info[2] != 0)} --tos 0x{Info[1]:x2}/0x{Info[0]:x2}");
}
