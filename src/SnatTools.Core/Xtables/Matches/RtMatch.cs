using System.Globalization;
using System.Net;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m rt rev 0, IPv6 only (uapi ip6t_rt.h): struct ip6t_rt { u32 rt_type, segsleft[2], hdrlen; u8
/// flags, invflags; struct in6_addr addrs[16] at 20; u8 addrnr at 276 } = 277, aligned 280.
/// </summary>
public sealed class RtMatch : XtMatch
{
    private const int Size = 280;
    private const int MaxHops = 16;  // IP6T_RT_HOPS
    private const byte Typ = 1, Len = 4, Res = 8, Fst = 0x10, FstNStrict = 0x20;  // IP6T_RT_*
    private const byte InvTyp = 1, InvSgs = 2, InvLen = 4;                           // IP6T_RT_INV_*

    private RtMatch(byte[] info)
        : base("rt", 0, info)
    {
    }

    public static RtMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size && info[276] <= MaxHops ? new RtMatch(info) : null;

    /// <summary>rt_save.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        byte flags = Info[16], inv = Info[17];
        var text = new StringBuilder();
        string Not(byte bit) => XtText.Not((inv & bit) != 0);
        if ((flags & Typ) != 0)
        {
            text.Append(Not(InvTyp)).Append(" --rt-type ").Append(XtBlob.U32(Info, 0).ToString(CultureInfo.InvariantCulture));
        }

        uint segsMin = XtBlob.U32(Info, 4), segsMax = XtBlob.U32(Info, 8);
        if (!(segsMin == 0 && segsMax == uint.MaxValue))
        {
            text.Append(Not(InvSgs)).Append(" --rt-segsleft ").Append(XtText.Range(segsMin, segsMax));
        }

        if ((flags & Len) != 0)
        {
            text.Append(Not(InvLen)).Append(" --rt-len ").Append(XtBlob.U32(Info, 12).ToString(CultureInfo.InvariantCulture));
        }

        if ((flags & Res) != 0)
        {
            text.Append(" --rt-0-res");
        }

        if ((flags & Fst) != 0)
        {
            text.Append(" --rt-0-addrs");
        }

        for (int i = 0; i < Info[276]; i++)
        {
            text.Append(i == 0 ? ' ' : ',').Append(XtText.Address(new IPAddress(Info.AsSpan(20 + (16 * i), 16))));
        }

        if ((flags & FstNStrict) != 0)
        {
            text.Append(" --rt-0-not-strict");
        }

        return text.ToString();
    }
}
