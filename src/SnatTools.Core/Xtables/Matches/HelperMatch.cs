using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m helper (uapi xt_helper.h struct xt_helper_info { int invert; char name[30] }), as libxt_helper.c helper_save prints it.</summary>
public sealed class HelperMatch : XtMatch
{
    private HelperMatch(uint revision, byte[] info)
        : base("helper", revision, info)
    {
    }

    public static HelperMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 40 ? new HelperMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        string helper = XtBlob.CString(Info, 4, 30);
        return $"{XtText.Not(BinaryPrimitives.ReadInt32LittleEndian(Info) != 0)} --helper{XtText.SaveString(helper)}";
    }
}
