using System.Globalization;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m policy rev 0 (uapi xt_policy.h): struct xt_policy_info { struct xt_policy_elem pol[4]; u16 flags,
/// len } = 308, aligned 312. Each xt_policy_elem (76 bytes): saddr, smask, daddr, dmask (16 each, the
/// IPv4 address in the first 4), u32 spi at 64 and reqid at 68 (host order), u8 proto, mode, then
/// the match and invert bit fields (saddr:1, daddr:1, proto:1, mode:1, spi:1, reqid:1, LSB first).
/// </summary>
public sealed class PolicyMatch : XtMatch
{
    private const int Size = 312;
    private const int MaxElements = 4;     // XT_POLICY_MAX_ELEM
    private const int ElementSize = 76;
    private const ushort MatchIn = 1;      // XT_POLICY_MATCH_IN
    private const ushort MatchNone = 4;    // XT_POLICY_MATCH_NONE
    private const ushort MatchStrict = 8;  // XT_POLICY_MATCH_STRICT
    private const byte SpecSaddr = 1, SpecDaddr = 2, SpecProto = 4, SpecMode = 8, SpecSpi = 16, SpecReqid = 32;

    private PolicyMatch(byte[] info)
        : base("policy", 0, info)
    {
    }

    public static PolicyMatch? Decode(uint revision, byte[] info) =>
        revision == 0 && info.Length == Size && XtBlob.U16(info, 306) <= MaxElements ? new PolicyMatch(info) : null;

    /// <summary>policy4_save / policy6_save: the flags, then each element, joined by --next.</summary>
    public override string SaveOptions(XtSaveContext context)
    {
        ushort flags = XtBlob.U16(Info, 304);
        int count = XtBlob.U16(Info, 306);
        var text = new StringBuilder();
        text.Append((flags & MatchIn) != 0 ? " --dir in" : " --dir out");
        text.Append((flags & MatchNone) != 0 ? " --pol none" : " --pol ipsec");
        if ((flags & MatchStrict) != 0)
        {
            text.Append(" --strict");
        }

        for (int i = 0; i < count; i++)
        {
            AppendElement(text, Info.AsSpan(i * ElementSize, ElementSize), context.IsIPv6);
            if (i + 1 < count)
            {
                text.Append(" --next");
            }
        }

        return text.ToString();
    }

    private static void AppendElement(StringBuilder text, ReadOnlySpan<byte> e, bool ipv6)
    {
        byte match = e[74], invert = e[75];
        string Not(byte bit) => XtText.Not((invert & bit) != 0);
        if ((match & SpecReqid) != 0)
        {
            text.Append(Not(SpecReqid)).Append(" --reqid ").Append(XtBlob.U32(e, 68).ToString(CultureInfo.InvariantCulture));
        }

        if ((match & SpecSpi) != 0)
        {
            text.Append(Not(SpecSpi)).Append(" --spi 0x").Append(XtBlob.U32(e, 64).ToString("x", CultureInfo.InvariantCulture));
        }

        if ((match & SpecProto) != 0)
        {
            text.Append(Not(SpecProto)).Append(" --proto ").Append(ProtocolNames.ForNft(e[72]));
        }

        if ((match & SpecMode) != 0)
        {
            text.Append(Not(SpecMode)).Append(" --mode ").Append(e[73] switch { 0 => "transport", 1 => "tunnel", _ => "???" });
        }

        if ((match & SpecDaddr) != 0)
        {
            text.Append(Not(SpecDaddr)).Append(" --tunnel-dst ").Append(XtText.AddressMask(e, 32, ipv6));
        }

        if ((match & SpecSaddr) != 0)
        {
            text.Append(Not(SpecSaddr)).Append(" --tunnel-src ").Append(XtText.AddressMask(e, 0, ipv6));
        }
    }
}
