using System.Globalization;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m pkttype rev 0 (uapi xt_pkttype.h): struct xt_pkttype_info { int pkttype, invert } = 8.</summary>
public sealed class PkttypeMatch : XtMatch
{
    private const int Size = 8;

    private PkttypeMatch(byte[] info)
        : base("pkttype", 0, info)
    {
    }

    public static PkttypeMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new PkttypeMatch(info) : null;

    /// <summary>pkttype_save: the first name of the PACKET_* value in its table (if_packet.h), else %d.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        int type = XtBlob.I32(Info, 0);
        string name = type switch
        {
            0 => "unicast",
            1 => "broadcast",
            2 => "multicast",
            3 => "otherhost",
            _ => type.ToString(CultureInfo.InvariantCulture),
        };
        return XtText.Not(XtBlob.I32(Info, 4) != 0) + " --pkt-type " + name;
    }
}
