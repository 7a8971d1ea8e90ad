using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m iprange rev 1 (uapi xt_iprange.h: src_min, src_max, dst_min, dst_max (nf_inet_addr), u8 flags).</summary>
public sealed class IpRangeMatch : XtMatch
{
    private const byte Src = 1, Dst = 2, SrcInv = 0x10, DstInv = 0x20;

    public IpRangeMatch(uint revision, byte[] info)
        : base("iprange", revision, info)
    {
    }

    public static IpRangeMatch? Decode(uint revision, byte[] info) => revision == 1 && info.Length == 72 ? new IpRangeMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        byte flags = Info[64];
        int length = context.IsIPv6 ? 16 : 4;
        var text = new StringBuilder();
        if ((flags & Src) != 0)
        {
            text.Append(XtText.Not((flags & SrcInv) != 0)).Append(" --src-range ")
                .Append(XtText.Address(Info.AsSpan(0, length))).Append('-').Append(XtText.Address(Info.AsSpan(16, length)));
        }

        if ((flags & Dst) != 0)
        {
            text.Append(XtText.Not((flags & DstInv) != 0)).Append(" --dst-range ")
                .Append(XtText.Address(Info.AsSpan(32, length))).Append('-').Append(XtText.Address(Info.AsSpan(48, length)));
        }

        return text.ToString();
    }
}
