using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m physdev rev 0 (uapi xt_physdev.h): struct xt_physdev_info { char physindev[16], in_mask[16],
/// physoutdev[16], out_mask[16]; u8 invert, bitmask } = 66, aligned 72.
/// </summary>
public sealed class PhysdevMatch : XtMatch
{
    // XT_PHYSDEV_OP_*
    private const byte OpIn = 1;
    private const byte OpOut = 2;
    private const byte OpBridged = 4;
    private const byte OpIsIn = 8;
    private const byte OpIsOut = 16;

    public PhysdevMatch(uint revision, byte[] info)
        : base("physdev", revision, info)
    {
    }

    /// <summary>A device name without its NUL would make physdev_save's %s run on into the mask.</summary>
    public static PhysdevMatch? Decode(uint revision, byte[] info) =>
        revision == 0 && info.Length == 72 && info.AsSpan(0, 16).Contains((byte)0) && info.AsSpan(32, 16).Contains((byte)0) ? new PhysdevMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        byte invert = Info[64], bitmask = Info[65];
        var text = new StringBuilder();
        string Not(byte op) => XtText.Not((invert & op) != 0);
        if ((bitmask & OpIsIn) != 0)
        {
            text.Append(Not(OpIsIn)).Append(" --physdev-is-in");
        }

        if ((bitmask & OpIn) != 0)
        {
            text.Append(Not(OpIn)).Append(" --physdev-in ").Append(Name16(0));
        }

        if ((bitmask & OpIsOut) != 0)
        {
            text.Append(Not(OpIsOut)).Append(" --physdev-is-out");
        }

        if ((bitmask & OpOut) != 0)
        {
            text.Append(Not(OpOut)).Append(" --physdev-out ").Append(Name16(32));
        }

        if ((bitmask & OpBridged) != 0)
        {
            text.Append(Not(OpBridged)).Append(" --physdev-is-bridged");
        }

        return text.ToString();
    }

    private string Name16(int offset) => XtBlob.CString(Info, offset, 16);
}
