using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m hashlimit, revisions 1-3 (uapi xt_hashlimit.h struct xt_hashlimit_mtinfo1 { char name[16];
/// struct hashlimit_cfg1 { u32 mode, avg, burst, size, max, gc_interval, expire; u8 srcmask,
/// dstmask } }, mtinfo2/mtinfo3 { char name[255]; cfg2/cfg3 (8-aligned) { u64 avg, burst; u32 mode,
/// size, max, gc_interval, expire; [cfg3: u32 interval;] u8 srcmask, dstmask } }), as
/// libxt_hashlimit.c hashlimit_mt_save prints them (the kernel has no revision 0 any more).
/// </summary>
public sealed class HashlimitMatch : XtMatch
{
    private const uint HashDip = 1, HashDpt = 2, HashSip = 4, HashSpt = 8, Invert = 16, Bytes = 32, RateMatch = 64;
    private const uint GcInterval = 1000;        // XT_HASHLIMIT_GCINTERVAL (libxt_hashlimit.c)
    private const uint ByteExpire = 15;          // XT_HASHLIMIT_BYTE_EXPIRE
    private const uint ByteExpireBurst = 60;     // XT_HASHLIMIT_BYTE_EXPIRE_BURST
    private const int ByteShift = 4;             // XT_HASHLIMIT_BYTE_SHIFT

    private static readonly (string Name, ulong Multiplier)[] RateNames = [("day", 24 * 60 * 60), ("hour", 60 * 60), ("min", 60), ("sec", 1)];

    private HashlimitMatch(uint revision, byte[] info)
        : base("hashlimit", revision, info)
    {
    }

    public static HashlimitMatch? Decode(uint revision, byte[] info) => revision switch
    {
        1 when info.Length == 56 => new HashlimitMatch(revision, info),
        2 when info.Length == 304 => new HashlimitMatch(revision, info),
        3 when info.Length == 312 => new HashlimitMatch(revision, info),
        _ => null,
    };

    public override string SaveOptions(XtSaveContext context)
    {
        var (name, mode, avg, burst, size, max, gc, expire, interval, srcmask, dstmask) = Config();
        var text = new StringBuilder((mode & Invert) != 0 ? " --hashlimit-above" : " --hashlimit-upto");
        ulong quantum;
        if ((mode & Bytes) != 0)
        {
            quantum = AppendBytes(text, avg, burst);
        }
        else
        {
            quantum = AppendRate(text, avg);
            text.Append(" --hashlimit-burst ").Append(burst);
        }

        if ((mode & (HashSip | HashSpt | HashDip | HashDpt)) != 0)
        {
            var modes = new List<string>();
            foreach (var (bit, word) in (ReadOnlySpan<(uint, string)>)[(HashSip, "srcip"), (HashSpt, "srcport"), (HashDip, "dstip"), (HashDpt, "dstport")])
            {
                if ((mode & bit) != 0)
                {
                    modes.Add(word);
                }
            }

            text.Append(" --hashlimit-mode ").AppendJoin(',', modes);
        }

        text.Append(" --hashlimit-name ").Append(name);
        if (size != 0)
        {
            text.Append(" --hashlimit-htable-size ").Append(size);
        }

        if (max != 0)
        {
            text.Append(" --hashlimit-htable-max ").Append(max);
        }

        if (gc != GcInterval)
        {
            text.Append(" --hashlimit-htable-gcinterval ").Append(gc);
        }

        if (expire != quantum)
        {
            text.Append(" --hashlimit-htable-expire ").Append(expire);
        }

        uint fullMask = context.IsIPv6 ? 128u : 32u;
        if (srcmask != fullMask)
        {
            text.Append(" --hashlimit-srcmask ").Append(srcmask);
        }

        if (dstmask != fullMask)
        {
            text.Append(" --hashlimit-dstmask ").Append(dstmask);
        }

        if (Revision == 3 && (mode & RateMatch) != 0)
        {
            text.Append(" --hashlimit-rate-match");
            if (interval != 1)
            {
                text.Append(" --hashlimit-rate-interval ").Append(interval);
            }
        }

        return text.ToString();
    }

    private (string Name, uint Mode, ulong Avg, ulong Burst, uint Size, uint Max, uint Gc, uint Expire, uint Interval, byte SrcMask, byte DstMask) Config()
    {
        var span = Info.AsSpan();
        if (Revision == 1)
        {
            return (XtBlob.CString(span, 0, 16), U32(16), U32(20), U32(24), U32(28), U32(32), U32(36), U32(40), 0, span[44], span[45]);
        }

        int masks = Revision == 3 ? 296 : 292;
        return (XtBlob.CString(span, 0, 255), U32(272), BinaryPrimitives.ReadUInt64LittleEndian(span[256..]), BinaryPrimitives.ReadUInt64LittleEndian(span[264..]),
            U32(276), U32(280), U32(284), U32(288), Revision == 3 ? U32(292) : 0, span[masks], span[masks + 1]);
    }

    /// <summary>print_rate: packets per unit; returns the unit in milliseconds (the default expire).</summary>
    private ulong AppendRate(StringBuilder text, ulong period)
    {
        ulong scale = Revision == 1 ? 10_000UL : 1_000_000UL; // XT_HASHLIMIT_SCALE, XT_HASHLIMIT_SCALE_v2
        if (period == 0)
        {
            text.Append(" inf");
            return 0;
        }

        int i = 1;
        for (; i < RateNames.Length; i++)
        {
            ulong multiplier = RateNames[i].Multiplier * scale;
            if (period > multiplier || multiplier / period < multiplier % period)
            {
                break;
            }
        }

        ulong chosen = RateNames[i - 1].Multiplier * scale;
        text.Append(' ').Append(chosen / period).Append('/').Append(RateNames[i - 1].Name);
        return chosen / scale * 1000;
    }

    /// <summary>print_bytes: bytes per second and the burst in bytes, with k/m units where exact.</summary>
    private static ulong AppendBytes(StringBuilder text, ulong avg, ulong burst)
    {
        (string Name, ulong Threshold)[] units = [("m", 1024 * 1024), ("k", 1024), (string.Empty, 1)];
        ulong r = ((avg != 0 ? uint.MaxValue / avg : uint.MaxValue) - 1) << ByteShift;
        int i = 0;
        for (; i < units.Length - 1; i++)
        {
            if (r >= units[i].Threshold && BytesToCost(r & ~(units[i].Threshold - 1)) == avg)
            {
                break;
            }
        }

        text.Append(' ').Append(r / units[i].Threshold).Append(units[i].Name).Append("b/s");
        if (burst == 0)
        {
            return ByteExpire * 1000;
        }

        r = unchecked(r * burst);
        for (i = 0; i < units.Length - 1; i++)
        {
            if (r >= units[i].Threshold)
            {
                break;
            }
        }

        text.Append(" --hashlimit-burst ").Append(r / units[i].Threshold).Append(units[i].Name).Append('b');
        return ByteExpireBurst * 1000;
    }

    private static ulong BytesToCost(ulong bytes) => uint.MaxValue / (unchecked((uint)(bytes >> ByteShift)) + 1UL);

    private uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(at));
}
