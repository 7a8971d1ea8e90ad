using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m ecn (uapi xt_ecn.h struct xt_ecn_info { u8 operation, invert, ip_ect; u8 tcp.ect }), as
/// libxt_ecn.c ecn_save prints it: XT_ECN_OP_MATCH_ECE 0x10, CWR 0x20, IP 0x01.
/// </summary>
public sealed class EcnMatch : XtMatch
{
    private EcnMatch(uint revision, byte[] info)
        : base("ecn", revision, info)
    {
    }

    public static EcnMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 8 ? new EcnMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        byte operation = Info[0], invert = Info[1];
        var text = new StringBuilder();
        foreach (var (bit, option) in (ReadOnlySpan<(byte, string)>)[(0x10, " --ecn-tcp-ece"), (0x20, " --ecn-tcp-cwr"), (0x01, " --ecn-ip-ect ")])
        {
            if ((operation & bit) != 0)
            {
                text.Append(XtText.Not((invert & bit) != 0)).Append(option);
                if (bit == 0x01)
                {
                    text.Append(Info[2]);
                }
            }
        }

        return text.ToString();
    }
}
