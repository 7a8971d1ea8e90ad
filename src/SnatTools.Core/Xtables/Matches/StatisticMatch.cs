using System.Globalization;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m statistic rev 0 (uapi xt_statistic.h): struct xt_statistic_info { u16 mode, flags; union { u32
/// probability } or { u32 every, packet, count }; struct xt_statistic_priv *master aligned(8) } = 24
/// bytes. The kernel keeps its private counter at count and master; only mode..packet is the user's.
/// </summary>
public sealed class StatisticMatch : XtMatch
{
    private const int Size = 24;
    private const ushort ModeRandom = 0;  // XT_STATISTIC_MODE_RANDOM
    private const ushort ModeNth = 1;     // XT_STATISTIC_MODE_NTH
    private const ushort FlagInvert = 1;  // XT_STATISTIC_INVERT

    private StatisticMatch(byte[] info)
        : base("statistic", 0, info)
    {
    }

    public ushort Mode => XtBlob.U16(Info, 0);

    public bool Invert => (XtBlob.U16(Info, 2) & FlagInvert) != 0;

    public static StatisticMatch? Decode(uint revision, byte[] info) =>
        revision == 0 && info.Length == Size && XtBlob.U16(info, 0) is ModeRandom or ModeNth ? new StatisticMatch(info) : null;

    /// <summary>print_match with prefix "--": the probability as %.11f of value / 2^31, every as stored + 1.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        string not = XtText.Not(Invert);
        if (Mode == ModeRandom)
        {
            double probability = XtBlob.U32(Info, 4) / (double)0x80000000;
            return $" --mode random{not} --probability {probability.ToString("F11", CultureInfo.InvariantCulture)}";
        }

        uint every = XtBlob.U32(Info, 4) + 1;
        uint packet = XtBlob.U32(Info, 8);
        return string.Create(CultureInfo.InvariantCulture, $" --mode nth{not} --every {every} --packet {packet}");
    }
}
