using System.Buffers.Binary;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m dccp (uapi xt_dccp.h struct xt_dccp_info { u16 dpts[2], spts[2]; u16 flags, invflags,
/// typemask; u8 option }), as libxt_dccp.c dccp_save prints it: XT_DCCP_SRC_PORTS 1, DEST_PORTS 2,
/// TYPE 4, OPTION 8; types by name (dccp_pkt_types).
/// </summary>
public sealed class DccpMatch : XtMatch
{
    private static readonly string[] Types = ["REQUEST", "RESPONSE", "DATA", "ACK", "DATAACK", "CLOSEREQ", "CLOSE", "RESET", "SYNC", "SYNCACK", "INVALID"];

    private DccpMatch(uint revision, byte[] info)
        : base("dccp", revision, info)
    {
    }

    // Bits past INVALID come with it (parse_dccp_types adds INVALID_OTHER_TYPE_MASK) and print_types
    // stops at INVALID; without it such a bit has no name (print_types would read past its table): not decoded.
    public static DccpMatch? Decode(uint revision, byte[] info)
    {
        if (revision != 0 || info.Length != 16)
        {
            return null;
        }

        ushort types = BinaryPrimitives.ReadUInt16LittleEndian(info.AsSpan(12));
        return (types & ~0x7ff) == 0 || (types & 0x400) != 0 ? new DccpMatch(revision, info) : null;
    }

    public override string SaveOptions(XtSaveContext context)
    {
        ushort flags = U16(8), invert = U16(10), types = U16(12);
        var text = new StringBuilder();
        AppendPorts(text, flags, invert, 0x01, "sport", 4);
        AppendPorts(text, flags, invert, 0x02, "dport", 0);
        if ((flags & 0x04) != 0)
        {
            text.Append(XtText.Not((invert & 0x04) != 0)).Append(" --dccp-types ");
            var names = new List<string>();
            for (int bit = 0; bit < Types.Length && types != 0; bit++)
            {
                if ((types & (1 << bit)) != 0)
                {
                    names.Add(Types[bit]);
                    types &= (ushort)~(1 << bit);
                }
            }

            text.AppendJoin(',', names);
        }

        if ((flags & 0x08) != 0)
        {
            text.Append(XtText.Not((invert & 0x08) != 0)).Append(" --dccp-option ").Append(Info[14]);
        }

        return text.ToString();
    }

    private void AppendPorts(StringBuilder text, ushort flags, ushort invert, ushort bit, string option, int at)
    {
        if ((flags & bit) == 0)
        {
            return;
        }

        ushort min = U16(at), max = U16(at + 2);
        text.Append(XtText.Not((invert & bit) != 0)).Append(" --").Append(option).Append(' ').Append(XtText.Range(min, max));
    }

    private ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(Info.AsSpan(at));
}
