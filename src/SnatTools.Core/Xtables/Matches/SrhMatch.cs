using System.Globalization;
using System.Net;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m srh, IPv6 only (uapi ip6t_srh.h): rev 0 struct ip6t_srh { u8 next_hdr, hdr_len, segs_left,
/// last_entry; u16 tag, mt_flags, mt_invflags } = 10, aligned 16; rev 1 struct ip6t_srh1 adds
/// psid, nsid, lsid addresses (8, 24, 40) and their masks (56, 72, 88) before mt_flags at 104 and
/// mt_invflags at 106 = 108, aligned 112.
/// </summary>
public sealed class SrhMatch : XtMatch
{
    /// <summary>The IP6T_SRH_* bits with their option and the field they print, in srh_save's order.</summary>
    private static readonly (ushort Bit, string Option, int Field)[] Tests =
    [
        (0x0001, "--srh-next-hdr", 0), (0x0002, "--srh-hdr-len-eq", 1), (0x0004, "--srh-hdr-len-gt", 1), (0x0008, "--srh-hdr-len-lt", 1),
        (0x0010, "--srh-segs-left-eq", 2), (0x0020, "--srh-segs-left-gt", 2), (0x0040, "--srh-segs-left-lt", 2),
        (0x0080, "--srh-last-entry-eq", 3), (0x0100, "--srh-last-entry-gt", 3), (0x0200, "--srh-last-entry-lt", 3), (0x0400, "--srh-tag", 4),
    ];

    private static readonly (ushort Bit, string Option, int Address)[] Sids = [(0x0800, "--srh-psid", 8), (0x1000, "--srh-nsid", 24), (0x2000, "--srh-lsid", 40)];

    private SrhMatch(uint revision, byte[] info)
        : base("srh", revision, info)
    {
    }

    public static SrhMatch? Decode(uint revision, byte[] info) => (revision, info.Length) switch
    {
        (0, 16) or (1, 112) => new SrhMatch(revision, info),
        _ => null,
    };

    /// <summary>srh_save / srh1_save (the latter adds the SIDs as address/cidr).</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        int flagsAt = Revision == 0 ? 6 : 104;
        ushort flags = XtBlob.U16(Info, flagsAt), inv = XtBlob.U16(Info, flagsAt + 2);
        var text = new StringBuilder();
        foreach (var (bit, option, field) in Tests)
        {
            if ((flags & bit) != 0)
            {
                uint value = field == 4 ? XtBlob.U16(Info, 4) : Info[field];
                text.Append(XtText.Not((inv & bit) != 0)).Append(' ').Append(option).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (Revision == 1)
        {
            foreach (var (bit, option, address) in Sids)
            {
                if ((flags & bit) != 0)
                {
                    // xtables_ip6mask_to_cidr gives -1 for a mask that is not contiguous, printed with %u.
                    uint cidr = (uint)XtText.MaskToCidr(Info.AsSpan(address + 48, 16));
                    text.Append(XtText.Not((inv & bit) != 0)).Append(' ').Append(option).Append(' ')
                        .Append(XtText.Address(new IPAddress(Info.AsSpan(address, 16)))).Append('/').Append(cidr.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        return text.ToString();
    }
}
