using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m multiport (uapi xt_multiport.h): rev 1 struct xt_multiport_v1 { u8 flags, count; u16 ports[15];
/// u8 pflags[15]; u8 invert } = 48 (ports host order); rev 0 struct xt_multiport { u8 flags, count;
/// u16 ports[15] } = 32, without ranges or invert (the kernel here accepts only rev 1).
/// </summary>
public sealed class MultiportMatch : XtMatch
{
    private const int MaxPorts = 15;

    public MultiportMatch(uint revision, byte[] info)
        : base("multiport", revision, info)
    {
    }

    /// <summary>
    /// Flags other than source/destination/either and counts over 15 are refused by the kernel; a
    /// range flag on the 15th port makes iptables read past the ports, so there is no text to match.
    /// </summary>
    public static MultiportMatch? Decode(uint revision, byte[] info) =>
        ((revision == 1 && info.Length == 48) || (revision == 0 && info.Length == 32))
        && info[0] <= 2 && info[1] <= MaxPorts && !(revision == 1 && info[1] == MaxPorts && info[32 + MaxPorts - 1] != 0)
            ? new MultiportMatch(revision, info)
            : null;

    public override string SaveOptions(XtSaveContext context)
    {
        var info = Info.AsSpan();
        byte flags = info[0];
        int count = info[1];
        var text = new StringBuilder();
        if (Revision == 1 && info[47] != 0)
        {
            text.Append(" !");
        }

        text.Append(flags switch
        {
            0 => " --sports ",
            1 => " --dports ",
            _ => " --ports ",
        });

        for (int i = 0; i < count; i++)
        {
            text.Append(i > 0 ? "," : string.Empty).Append(Port(info, i));
            // __multiport_save_v1 prints the next port as the range end even when it is past count.
            if (Revision == 1 && info[32 + i] != 0)
            {
                text.Append(':').Append(Port(info, ++i));
            }
        }

        return text.ToString();
    }

    private static string Port(ReadOnlySpan<byte> info, int index) =>
        BinaryPrimitives.ReadUInt16LittleEndian(info[(2 + (2 * index))..]).ToString(CultureInfo.InvariantCulture);
}
