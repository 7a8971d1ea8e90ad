using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m dst and -m hbh, IPv6 (uapi netfilter_ipv6/ip6t_opts.h struct ip6t_opts { u32 hdrlen; u8 flags;
/// u8 invflags; u16 opts[16]; u8 optsnr }), as libip6t_dst.c dst_save and libip6t_hbh.c hbh_save
/// print them: IP6T_OPTS_LEN 1, OPTS 2; each option "type[:length]" (length 0xff means any).
/// </summary>
public sealed class OptionsHeaderMatch : XtMatch
{
    private const int MaxOptions = 16; // IP6T_OPTS_OPTSNR

    private OptionsHeaderMatch(string name, uint revision, byte[] info)
        : base(name, revision, info)
    {
    }

    // More options than the array holds would make print_options read past it: not decoded.
    public static OptionsHeaderMatch? Decode(string name, uint revision, byte[] info) =>
        revision == 0 && info.Length == 40 && info[38] <= MaxOptions ? new OptionsHeaderMatch(name, revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        byte flags = Info[4], invert = Info[5], count = Info[38];
        var text = new StringBuilder();
        if ((flags & 0x01) != 0)
        {
            text.Append(XtText.Not((invert & 0x01) != 0)).Append(" --").Append(Name).Append("-len ").Append(BinaryPrimitives.ReadUInt32LittleEndian(Info));
        }

        if ((flags & 0x02) != 0)
        {
            text.Append(" --").Append(Name).Append("-opts");
        }

        for (int i = 0; i < count; i++)
        {
            ushort option = BinaryPrimitives.ReadUInt16LittleEndian(Info.AsSpan(6 + (2 * i)));
            text.Append(i == 0 ? ' ' : ',').Append(option >> 8);
            if ((option & 0xff) != 0xff)
            {
                text.Append(':').Append(option & 0xff);
            }
        }

        return text.ToString();
    }
}
