using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m esp, -m ah, -m ipcomp: an SPI range (uapi xt_esp.h struct xt_esp { u32 spis[2]; u8 invflags },
/// netfilter_ipv4/ipt_ah.h struct ipt_ah (the same), netfilter_ipv6/ip6t_ah.h struct ip6t_ah
/// { u32 spis[2]; u32 hdrlen; u8 hdrres; u8 invflags }, xt_ipcomp.h struct xt_ipcomp { u32 spis[2];
/// u8 invflags; u8 hdrres }). Printed as libxt_esp.c esp_save, libipt_ah.c / libip6t_ah.c ah_save,
/// libxt_ipcomp.c comp_save print them. ah's struct differs by family, so it is read at print time.
/// </summary>
public sealed class SpiMatch : XtMatch
{
    private SpiMatch(string name, uint revision, byte[] info)
        : base(name, revision, info)
    {
    }

    public uint SpiMin => BinaryPrimitives.ReadUInt32LittleEndian(Info);

    public uint SpiMax => BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(4));

    public static SpiMatch? Decode(string name, uint revision, byte[] info) =>
        revision == 0 && info.Length == 16 ? new SpiMatch(name, revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        var text = new StringBuilder();
        byte invflags = Name switch
        {
            "ah" when context.IsIPv6 => Info[13],
            _ => Info[8],
        };
        if (!(SpiMin == 0 && SpiMax == uint.MaxValue))
        {
            text.Append(XtText.Not((invflags & 0x01) != 0)).Append(" --").Append(Name).Append("spi ").Append(XtText.Range(SpiMin, SpiMax));
        }

        if (Name == "ah" && context.IsIPv6)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(Info.AsSpan(8));
            if (length != 0 || (invflags & 0x02) != 0)
            {
                text.Append(XtText.Not((invflags & 0x02) != 0)).Append(" --ahlen ").Append(length);
            }

            if (Info[12] != 0)
            {
                text.Append(" --ahres");
            }
        }
        else if (Name == "ipcomp" && Info[9] != 0)
        {
            text.Append(" --compres");
        }

        return text.ToString();
    }
}
