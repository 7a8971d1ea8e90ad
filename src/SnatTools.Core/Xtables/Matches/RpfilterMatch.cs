namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m rpfilter rev 0 (uapi xt_rpfilter.h): struct xt_rpfilter_info { u8 flags } = 1, aligned 8. PREROUTING only.</summary>
public sealed class RpfilterMatch : XtMatch
{
    private const int Size = 8;

    private RpfilterMatch(byte[] info)
        : base("rpfilter", 0, info)
    {
    }

    public static RpfilterMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new RpfilterMatch(info) : null;

    /// <summary>rpfilter_save: XT_RPFILTER_LOOSE, VALID_MARK, ACCEPT_LOCAL, INVERT in that order.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        byte flags = Info[0];
        return ((flags & 1) != 0 ? " --loose" : string.Empty)
            + ((flags & 2) != 0 ? " --validmark" : string.Empty)
            + ((flags & 4) != 0 ? " --accept-local" : string.Empty)
            + ((flags & 8) != 0 ? " --invert" : string.Empty);
    }
}
