namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m dscp (uapi xt_dscp.h struct xt_dscp_info { u8 dscp; u8 invert }), as libxt_dscp.c dscp_save prints it.</summary>
public sealed class DscpMatch : XtMatch
{
    private DscpMatch(uint revision, byte[] info)
        : base("dscp", revision, info)
    {
    }

    public static DscpMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 8 ? new DscpMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context) => $"{XtText.Not(Info[1] != 0)} --dscp 0x{Info[0]:x2}";
}
