using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m limit (uapi xt_limit.h struct xt_rateinfo { u32 avg; u32 burst; kernel-private rest }), as
/// libxt_limit.c limit_save prints it. iptables-nft writes it as a native limit expression, which
/// its parser (nft-shared.c nft_parse_limit) turns back into avg = XT_LIMIT_SCALE * unit / rate.
/// </summary>
public sealed class LimitMatch : XtMatch
{
    public const uint Scale = 10000;       // XT_LIMIT_SCALE
    private const uint DefaultBurst = 5;   // XT_LIMIT_BURST (libxt_limit.c)

    private static readonly (string Name, uint Multiplier)[] Rates =
        [("day", Scale * 24 * 60 * 60), ("hour", Scale * 60 * 60), ("min", Scale * 60), ("sec", Scale)];

    private LimitMatch(uint revision, byte[] info, uint average, uint burst)
        : base("limit", revision, info)
    {
        Average = average;
        Burst = burst;
    }

    /// <summary>Average time between packets, in 1/10000 s.</summary>
    public uint Average { get; }

    public uint Burst { get; }

    public static LimitMatch? Decode(uint revision, byte[] info) =>
        revision == 0 && info.Length == 40
            ? new LimitMatch(revision, info, BinaryPrimitives.ReadUInt32LittleEndian(info), BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(4)))
            : null;

    /// <summary>The match nft_parse_limit builds from a native limit (rate per unit seconds, burst); null when rate is 0.</summary>
    public static LimitMatch? FromNative(ulong rate, ulong unitSeconds, uint burst)
    {
        if (rate == 0)
        {
            return null;
        }

        var info = new byte[40]; // XT_ALIGN(sizeof(struct xt_rateinfo)) on x86_64
        uint average = unchecked((uint)(Scale * unitSeconds / rate));
        BinaryPrimitives.WriteUInt32LittleEndian(info, average);
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(4), burst);
        return new LimitMatch(0, info, average, burst);
    }

    public override string SaveOptions(XtSaveContext context)
    {
        var text = new StringBuilder(" --limit").Append(Rate(Average));
        if (Burst != DefaultBurst)
        {
            text.Append(" --limit-burst ").Append(Burst);
        }

        return text.ToString();
    }

    /// <summary>print_rate: the coarsest unit that divides without losing more than the remainder (" inf" for 0).</summary>
    internal static string Rate(uint period)
    {
        if (period == 0)
        {
            return " inf";
        }

        int i = 1;
        for (; i < Rates.Length; i++)
        {
            if (period > Rates[i].Multiplier || Rates[i].Multiplier / period < Rates[i].Multiplier % period)
            {
                break;
            }
        }

        return $" {Rates[i - 1].Multiplier / period}/{Rates[i - 1].Name}";
    }
}
