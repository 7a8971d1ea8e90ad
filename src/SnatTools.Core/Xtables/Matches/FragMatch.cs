using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m frag, IPv6 (uapi netfilter_ipv6/ip6t_frag.h struct ip6t_frag { u32 ids[2]; u32 hdrlen; u8 flags;
/// u8 invflags }), as libip6t_frag.c frag_save prints it: IP6T_FRAG_LEN 2, RES 4, FST 8, MF 0x10, NMF 0x20.
/// </summary>
public sealed class FragMatch : XtMatch
{
    private FragMatch(uint revision, byte[] info)
        : base("frag", revision, info)
    {
    }

    public static FragMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 16 ? new FragMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        uint min = BinaryPrimitives.ReadUInt32LittleEndian(Info), max = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(4));
        byte flags = Info[12], invert = Info[13];
        var text = new StringBuilder();
        if (!(min == 0 && max == uint.MaxValue))
        {
            text.Append(XtText.Not((invert & 0x01) != 0)).Append(" --fragid ").Append(XtText.Range(min, max));
        }

        if ((flags & 0x02) != 0)
        {
            text.Append(XtText.Not((invert & 0x02) != 0)).Append(" --fraglen ").Append(BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(8)));
        }

        foreach (var (bit, option) in (ReadOnlySpan<(byte, string)>)[(0x04, " --fragres"), (0x08, " --fragfirst"), (0x10, " --fragmore"), (0x20, " --fraglast")])
        {
            if ((flags & bit) != 0)
            {
                text.Append(option);
            }
        }

        return text.ToString();
    }
}
