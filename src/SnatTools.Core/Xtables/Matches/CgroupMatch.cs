using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m cgroup (uapi xt_cgroup.h): rev 0 struct xt_cgroup_info_v0 { u32 id; u32 invert }; rev 1
/// { u8 has_path, has_classid, invert_path, invert_classid; char path[PATH_MAX]; u32 classid; priv };
/// rev 2 the same with path[XT_CGROUP_PATH_MAX] and classid in one union. Printed as libxt_cgroup.c
/// cgroup_save_v0/v1/v2 print them.
/// </summary>
public sealed class CgroupMatch : XtMatch
{
    private const int PathMax = 4096;       // PATH_MAX
    private const int V2PathMax = 512;      // XT_CGROUP_PATH_MAX

    private CgroupMatch(uint revision, byte[] info)
        : base("cgroup", revision, info)
    {
    }

    public static CgroupMatch? Decode(uint revision, byte[] info) => revision switch
    {
        0 when info.Length == 8 => new CgroupMatch(revision, info),
        1 when info.Length == 4112 => new CgroupMatch(revision, info),
        2 when info.Length == 528 => new CgroupMatch(revision, info),
        _ => null,
    };

    public override string SaveOptions(XtSaveContext context)
    {
        if (Revision == 0)
        {
            return $"{XtText.Not(BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(4)) != 0)} --cgroup {BinaryPrimitives.ReadUInt32LittleEndian(Info)}";
        }

        var text = new StringBuilder();
        int pathLength = Revision == 1 ? PathMax : V2PathMax;
        if (Info[0] != 0)
        {
            text.Append(XtText.Not(Info[2] != 0)).Append(" --path").Append(XtText.SaveString(XtBlob.CString(Info, 4, pathLength)));
        }

        if (Info[1] != 0)
        {
            uint classid = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(Revision == 1 ? 4 + PathMax : 4));
            text.Append(XtText.Not(Info[3] != 0)).Append(" --cgroup ").Append(classid);
        }

        return text.ToString();
    }
}
