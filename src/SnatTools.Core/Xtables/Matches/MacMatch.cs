namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m mac rev 0 (uapi xt_mac.h): struct xt_mac_info { u8 srcaddr[6]; int invert } = 12, aligned 16.</summary>
public sealed class MacMatch : XtMatch
{
    private const int Size = 16;

    private MacMatch(byte[] info)
        : base("mac", 0, info)
    {
    }

    public static MacMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new MacMatch(info) : null;

    /// <summary>mac_save: "[!] --mac-source" and xtables_print_mac (lower-case hex, colons).</summary>
    public override string SaveOptions(XtSaveContext context) =>
        XtText.Not(XtBlob.I32(Info, 8) != 0) + " --mac-source " + string.Join(':', Info.Take(6).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
