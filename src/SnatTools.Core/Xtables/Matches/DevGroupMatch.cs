using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m devgroup (uapi xt_devgroup.h struct xt_devgroup_info { u32 flags, src_group, src_mask,
/// dst_group, dst_mask }), as libxt_devgroup.c devgroup_save prints it: xtables_print_val_mask
/// with the names of /etc/iproute2/group for a full mask, as iptables-save reads them.
/// </summary>
public sealed class DevGroupMatch : XtMatch
{
    private DevGroupMatch(uint revision, byte[] info)
        : base("devgroup", revision, info)
    {
    }

    public static DevGroupMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 24 ? new DevGroupMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(Info);
        var text = new StringBuilder();
        if ((flags & 0x1) != 0)
        {
            text.Append(XtText.Not((flags & 0x2) != 0)).Append(" --src-group").Append(ValueMask(4));
        }

        if ((flags & 0x4) != 0)
        {
            text.Append(XtText.Not((flags & 0x8) != 0)).Append(" --dst-group").Append(ValueMask(12));
        }

        return text.ToString();
    }

    private string ValueMask(int at)
    {
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(at)), mask = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(at + 4));
        return XtText.ValMask(value, mask, id => XtNameMap.LmapName("/etc/iproute2/group", id));
    }
}
