using System.Globalization;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m rateest rev 0 (uapi xt_rateest.h): struct xt_rateest_match_info { char name1[16], name2[16];
/// u16 flags, mode; u32 bps1, pps1, bps2, pps2; two kernel pointers est1, est2 aligned(8) at 56 }
/// = 72. usersize is XT_ALIGN(offsetof(est1)) = 56: the pointers are the kernel's.
/// </summary>
public sealed class RateestMatch : XtMatch
{
    private const int Size = 72;
    private const ushort Invert = 1, Abs = 2, Rel = 4, Delta = 8, Bps = 16, Pps = 32;  // XT_RATEEST_MATCH_*

    private RateestMatch(byte[] info)
        : base("rateest", 0, info)
    {
    }

    /// <summary>A rate with a mode outside eq/lt/gt makes rateest_print_mode exit: no text to match.</summary>
    public static RateestMatch? Decode(uint revision, byte[] info) =>
        revision == 0 && info.Length == Size && info.AsSpan(0, 16).Contains((byte)0) && info.AsSpan(16, 16).Contains((byte)0)
        && ((XtBlob.U16(info, 32) & (Bps | Pps)) == 0 || XtBlob.U16(info, 34) is >= 1 and <= 3)
            ? new RateestMatch(info)
            : null;

    private ushort Flags => XtBlob.U16(Info, 32);

    /// <summary>rateest_save: --rateest-delta, the estimator name(s) and each rate (bps as a bit rate, pps as a number).</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        var text = new StringBuilder();
        if ((Flags & Delta) != 0)
        {
            text.Append(" --rateest-delta");
        }

        if ((Flags & Rel) != 0)
        {
            text.Append(" --rateest1 ").Append(XtBlob.CString(Info, 0, 16));
            AppendRates(text);
            text.Append(" --rateest2 ").Append(XtBlob.CString(Info, 16, 16));
        }
        else
        {
            text.Append(" --rateest ").Append(XtBlob.CString(Info, 0, 16));
            AppendRates(text);
        }

        return text.ToString();
    }

    private void AppendRates(StringBuilder text)
    {
        if ((Flags & Bps) != 0)
        {
            AppendRate(text, "bps", XtBlob.U32(Info, 36), XtBlob.U32(Info, 44), numeric: false);
        }

        if ((Flags & Pps) != 0)
        {
            AppendRate(text, "pps", XtBlob.U32(Info, 40), XtBlob.U32(Info, 48), numeric: true);
        }
    }

    /// <summary>__rateest_save_rate.</summary>
    private void AppendRate(StringBuilder text, string name, uint rate1, uint rate2, bool numeric)
    {
        if ((Flags & Delta) != 0)
        {
            text.Append(" --rateest-").Append(name).Append('1').Append(Rate(rate1, numeric));
            AppendMode(text);
            text.Append(" --rateest-").Append(name).Append('2');
        }
        else
        {
            AppendMode(text);
            text.Append(" --rateest-").Append(name);
        }

        if ((Flags & (Abs | Delta)) != 0)
        {
            text.Append(Rate(rate2, numeric));
        }
    }

    private void AppendMode(StringBuilder text)
    {
        text.Append(XtText.Not((Flags & Invert) != 0)).Append(XtBlob.U16(Info, 34) switch
        {
            1 => " --rateest-eq",
            2 => " --rateest-lt",
            _ => " --rateest-gt",
        });
    }

    /// <summary>rateest_print_rate: bytes/s * 8 as %.0f Mbit, Kbit or bit (printf rounds half to even).</summary>
    private static string Rate(uint rate, bool numeric)
    {
        if (numeric)
        {
            return " " + rate.ToString(CultureInfo.InvariantCulture);
        }

        double bits = rate * 8.0;
        (double value, string unit) = bits >= 1000.0 * 1000000.0 ? (bits / 1000000.0, "Mbit") : bits >= 1000.0 * 1000.0 ? (bits / 1000.0, "Kbit") : (bits, "bit");
        return " " + Math.Round(value, MidpointRounding.ToEven).ToString("F0", CultureInfo.InvariantCulture) + unit;
    }
}
