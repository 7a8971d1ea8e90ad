using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m ipvs (uapi xt_ipvs.h struct xt_ipvs_mtinfo { union nf_inet_addr vaddr, vmask; be16 vport;
/// u8 l4proto, fwd_method; be16 vportctl; u8 invert, bitmask }), as libxt_ipvs.c ipvs_mt4_save /
/// ipvs_mt6_save print it (ipvs_mt_dump with numeric addresses): XT_IPVS_IPVS_PROPERTY 1, PROTO 2,
/// VADDR 4, VPORT 8, DIR 0x10, METHOD 0x20, VPORTCTL 0x40; methods from linux/ip_vs.h.
/// </summary>
public sealed class IpvsMatch : XtMatch
{
    private IpvsMatch(uint revision, byte[] info)
        : base("ipvs", revision, info)
    {
    }

    public static IpvsMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 40 ? new IpvsMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        byte invert = Info[38], bitmask = Info[39];
        var text = new StringBuilder();
        string Not(int bit) => XtText.Not((invert & bit) != 0);
        if (bitmask == 0x01)
        {
            text.Append(Not(0x01)).Append(" --ipvs");
        }

        if ((bitmask & 0x02) != 0)
        {
            text.Append(Not(0x02)).Append(" --vproto ").Append(Info[34]);
        }

        if ((bitmask & 0x04) != 0)
        {
            text.Append(Not(0x04)).Append(" --vaddr ").Append(XtText.AddressMask(Info, 0, context.IsIPv6));
        }

        if ((bitmask & 0x08) != 0)
        {
            text.Append(Not(0x08)).Append(" --vport ").Append(BinaryPrimitives.ReadUInt16BigEndian(Info.AsSpan(32)));
        }

        if ((bitmask & 0x10) != 0)
        {
            text.Append((invert & 0x10) != 0 ? " --vdir REPLY" : " --vdir ORIGINAL");
        }

        if ((bitmask & 0x20) != 0)
        {
            text.Append(Not(0x20)).Append(" --vmethod ").Append(Info[35] switch { 3 => "GATE", 2 => "IPIP", 0 => "MASQ", _ => "UNKNOWN" });
        }

        if ((bitmask & 0x40) != 0)
        {
            text.Append(Not(0x40)).Append(" --vportctl ").Append(BinaryPrimitives.ReadUInt16BigEndian(Info.AsSpan(36)));
        }

        return text.ToString();
    }
}
