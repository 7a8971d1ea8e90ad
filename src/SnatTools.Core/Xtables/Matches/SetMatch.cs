using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m set (uapi xt_set.h): rev 1 and 2 struct xt_set_info { u16 index; u8 dim, flags } = 4, aligned 8;
/// rev 3 and 4 add packet and byte counter tests (at 8 and 24) and u32 flags at 40 = 48. Rev 0 (IPv4
/// only) is struct xt_set_info_v0 { u16 index; u32 flags[7] } = 32, one IPSET_SRC/IPSET_DST word per
/// dimension, IPSET_MATCH_INV in the first. The set is stored by index only; the name
/// comes from the kernel (SO_IP_SET IP_SET_OP_GET_BYINDEX) through <see cref="XtSaveContext.SetNames"/>.
/// </summary>
public sealed class SetMatch : XtMatch
{
    private const byte InvMatch = 1;              // IPSET_INV_MATCH = 1 << IPSET_DIM_ZERO
    private const int DimMax = 6;                 // IPSET_DIM_MAX
    private const uint V0Source = 1;              // IPSET_SRC
    private const uint V0Invert = 4;              // IPSET_MATCH_INV
    private const byte RetNoMatchV2 = 0x80;       // IPSET_RETURN_NOMATCH (1 << IPSET_BIT_RETURN_NOMATCH)
    private const uint FlagSkipCounters = 8;      // IPSET_FLAG_SKIP_COUNTER_UPDATE
    private const uint FlagSkipSubcounters = 16;  // IPSET_FLAG_SKIP_SUBCOUNTER_UPDATE
    private const uint FlagReturnNoMatch = 128;   // IPSET_FLAG_RETURN_NOMATCH

    private SetMatch(uint revision, byte[] info)
        : base("set", revision, info)
    {
        Index = BinaryPrimitives.ReadUInt16LittleEndian(info);
        Dimension = info[2];
        Flags = info[3];
    }

    public ushort Index { get; }

    public byte Dimension { get; }

    public byte Flags { get; }

    public static SetMatch? Decode(uint revision, byte[] info) => revision switch
    {
        0 when info.Length == 32 => new SetMatch(revision, info),
        1 or 2 when info.Length == 8 && info[2] <= DimMax => new SetMatch(revision, info),
        3 or 4 when info.Length == 48 && info[2] <= DimMax => new SetMatch(revision, info),
        _ => null,
    };

    public override string SaveOptions(XtSaveContext context)
    {
        string name = context.SetNames?.Invoke(Index) ?? $"#{Index}";
        var text = new StringBuilder();
        if (Revision == 0)
        {
            return SaveV0(text, name);
        }

        text.Append(XtText.Not((Flags & InvMatch) != 0)).Append(" --match-set ").Append(name);
        for (int i = 1; i <= Dimension; i++)
        {
            text.Append(i == 1 ? ' ' : ',').Append((Flags & (1 << i)) != 0 ? "src" : "dst");
        }

        if (Revision == 2 && (Flags & RetNoMatchV2) != 0)
        {
            text.Append(" --return-nomatch");
        }

        if (Revision >= 3)
        {
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(40));
            if ((flags & FlagReturnNoMatch) != 0)
            {
                text.Append(" --return-nomatch");
            }

            if ((flags & FlagSkipCounters) != 0)
            {
                text.Append(" ! --update-counters");
            }

            if ((flags & FlagSkipSubcounters) != 0)
            {
                text.Append(" ! --update-subcounters");
            }

            AppendCounter(text, 8, "packets");
            AppendCounter(text, 24, "bytes");
        }

        return text.ToString();
    }

    /// <summary>print_match_v0: the dimensions until the first zero word, at most IPSET_DIM_MAX.</summary>
    private string SaveV0(StringBuilder text, string name)
    {
        text.Append(XtText.Not((XtBlob.U32(Info, 4) & V0Invert) != 0)).Append(" --match-set ").Append(name);
        for (int i = 0; i < DimMax; i++)
        {
            uint flags = XtBlob.U32(Info, 4 + (4 * i));
            if (flags == 0)
            {
                break;
            }

            text.Append(i == 0 ? ' ' : ',').Append((flags & V0Source) != 0 ? "src" : "dst");
        }

        return text.ToString();
    }

    /// <summary>ip_set_counter_match0 (rev 3: u8 op at 0, u64 value at 8) or ip_set_counter_match (rev 4: value at 0, op at 8).</summary>
    private void AppendCounter(StringBuilder text, int offset, string name)
    {
        var counter = Info.AsSpan(offset, 16);
        byte op = Revision == 3 ? counter[0] : counter[8];
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(Revision == 3 ? counter[8..] : counter);
        string number = value.ToString(CultureInfo.InvariantCulture);
        text.Append(op switch
        {
            1 => $" --{name}-eq {number}",
            2 => $" ! --{name}-eq {number}",
            3 => $" --{name}-lt {number}",
            4 => $" --{name}-gt {number}",
            _ => string.Empty,
        });
    }
}
