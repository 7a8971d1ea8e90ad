using System.Buffers.Binary;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m connlabel (uapi xt_connlabel.h struct xt_connlabel_mtinfo { u16 bit; u16 options }), as
/// libxt_connlabel.c connlabel_mt_save prints it: the label's name from /etc/xtables/connlabel.conf
/// (libnetfilter_conntrack's label map) or its number, quoted; XT_CONNLABEL_OP_INVERT 1, OP_SET 2.
/// </summary>
public sealed class ConnlabelMatch : XtMatch
{
    private ConnlabelMatch(uint revision, byte[] info)
        : base("connlabel", revision, info)
    {
    }

    public static ConnlabelMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 8 ? new ConnlabelMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        ushort bit = BinaryPrimitives.ReadUInt16LittleEndian(Info), options = BinaryPrimitives.ReadUInt16LittleEndian(Info.AsSpan(2));
        string label = XtNameMap.Read("/etc/xtables/connlabel.conf").TryGetValue(bit, out var name) && name.Length > 0 ? name : bit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{XtText.Not((options & 1) != 0)} --label \"{label}\"{((options & 2) != 0 ? " --set" : string.Empty)}";
    }
}
