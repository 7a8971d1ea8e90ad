namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m tcpmss rev 0 (uapi xt_tcpmss.h): struct xt_tcpmss_match_info { u16 mss_min, mss_max; u8 invert } = 6, aligned 8.</summary>
public sealed class TcpmssMatch : XtMatch
{
    private const int Size = 8;

    private TcpmssMatch(byte[] info)
        : base("tcpmss", 0, info)
    {
    }

    public static TcpmssMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new TcpmssMatch(info) : null;

    /// <summary>tcpmss_save: "[!] --mss min" or "min:max".</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        ushort min = XtBlob.U16(Info, 0), max = XtBlob.U16(Info, 2);
        return XtText.Not(Info[4] != 0) + " --mss " + XtText.Range(min, max);
    }
}
