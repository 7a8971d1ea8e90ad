using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m conntrack rev 1, 2, 3 (uapi xt_conntrack.h: xt_conntrack_mtinfo1/2/3; offsets checked with
/// a C program against the 6.1 headers), and `-m state`, which iptables writes as conntrack with
/// XT_CONNTRACK_STATE_ALIAS. Printed like extensions/libxt_conntrack.c conntrack_dump().
/// </summary>
public sealed class ConntrackMatch : XtMatch
{
    // enum in xt_conntrack.h
    private const ushort FlagState = 1 << 0;
    private const ushort FlagProto = 1 << 1;
    private const ushort FlagOrigSrc = 1 << 2;
    private const ushort FlagOrigDst = 1 << 3;
    private const ushort FlagReplSrc = 1 << 4;
    private const ushort FlagReplDst = 1 << 5;
    private const ushort FlagStatus = 1 << 6;
    private const ushort FlagExpires = 1 << 7;
    private const ushort FlagOrigSrcPort = 1 << 8;
    private const ushort FlagOrigDstPort = 1 << 9;
    private const ushort FlagReplSrcPort = 1 << 10;
    private const ushort FlagReplDstPort = 1 << 11;
    private const ushort FlagDirection = 1 << 12;
    private const ushort FlagStateAlias = 1 << 13;

    // XT_CONNTRACK_STATE_*: INVALID 1, BIT(ESTABLISHED) 2, BIT(RELATED) 4, BIT(NEW) 8, SNAT 64, DNAT 128, UNTRACKED 256.
    private static readonly (ushort Bit, string Name)[] States =
        [(1, "INVALID"), (8, "NEW"), (4, "RELATED"), (2, "ESTABLISHED"), (256, "UNTRACKED"), (64, "SNAT"), (128, "DNAT")];

    // IPS_* (uapi nf_conntrack_common.h) in the order print_status() tests them.
    private static readonly (ushort Bit, string Name)[] Statuses = [(1, "EXPECTED"), (2, "SEEN_REPLY"), (4, "ASSURED"), (8, "CONFIRMED")];

    private ConntrackMatch(uint revision, byte[] info)
        : base("conntrack", revision, info)
    {
        MatchFlags = BinaryPrimitives.ReadUInt16LittleEndian(info.AsSpan(146));
        InvertFlags = BinaryPrimitives.ReadUInt16LittleEndian(info.AsSpan(148));
        if (revision == 1)
        {
            StateMask = info[150];
            StatusMask = info[151];
        }
        else
        {
            StateMask = BinaryPrimitives.ReadUInt16LittleEndian(info.AsSpan(150));
            StatusMask = BinaryPrimitives.ReadUInt16LittleEndian(info.AsSpan(152));
        }
    }

    public ushort MatchFlags { get; }

    public ushort InvertFlags { get; }

    public ushort StateMask { get; }

    public ushort StatusMask { get; }

    public override string SaveName => (MatchFlags & FlagStateAlias) != 0 ? "state" : "conntrack";

    public static ConntrackMatch? Decode(uint revision, byte[] info) => revision switch
    {
        1 when info.Length == 152 => new ConntrackMatch(1, info),
        2 when info.Length == 160 => new ConntrackMatch(2, info),
        3 when info.Length == 168 => new ConntrackMatch(3, info),
        _ => null,
    };

    public override string SaveOptions(XtSaveContext context)
    {
        var text = new StringBuilder();
        var info = Info.AsSpan();
        if (Has(FlagState))
        {
            text.Append(Not(FlagState)).Append((MatchFlags & FlagStateAlias) != 0 ? " --state" : " --ctstate");
            AppendNames(text, States, StateMask, none: null);
        }

        if (Has(FlagProto))
        {
            text.Append(Not(FlagProto)).Append(" --ctproto ").Append(BinaryPrimitives.ReadUInt16LittleEndian(info[136..]).ToString(CultureInfo.InvariantCulture));
        }

        AppendAddress(text, FlagOrigSrc, "ctorigsrc", 0, context.IsIPv6);
        AppendAddress(text, FlagOrigDst, "ctorigdst", 32, context.IsIPv6);
        AppendAddress(text, FlagReplSrc, "ctreplsrc", 64, context.IsIPv6);
        AppendAddress(text, FlagReplDst, "ctrepldst", 96, context.IsIPv6);
        AppendPort(text, FlagOrigSrcPort, "ctorigsrcport", 138, 154);
        AppendPort(text, FlagOrigDstPort, "ctorigdstport", 140, 156);
        AppendPort(text, FlagReplSrcPort, "ctreplsrcport", 142, 158);
        AppendPort(text, FlagReplDstPort, "ctrepldstport", 144, 160);

        if (Has(FlagStatus))
        {
            text.Append(Not(FlagStatus)).Append(" --ctstatus");
            AppendNames(text, Statuses, StatusMask, none: "NONE");
        }

        if (Has(FlagExpires))
        {
            uint min = BinaryPrimitives.ReadUInt32LittleEndian(info[128..]);
            uint max = BinaryPrimitives.ReadUInt32LittleEndian(info[132..]);
            text.Append(Not(FlagExpires)).Append(" --ctexpire ").Append(XtText.Range(min, max));
        }

        if (Has(FlagDirection))
        {
            text.Append((InvertFlags & FlagDirection) != 0 ? " --ctdir REPLY" : " --ctdir ORIGINAL");
        }

        return text.ToString();
    }

    private bool Has(ushort flag) => (MatchFlags & flag) != 0;

    private string Not(ushort flag) => XtText.Not((InvertFlags & flag) != 0);

    private static void AppendNames(StringBuilder text, (ushort Bit, string Name)[] names, ushort mask, string? none)
    {
        char separator = ' ';
        foreach (var (bit, name) in names)
        {
            if ((mask & bit) != 0)
            {
                text.Append(separator).Append(name);
                separator = ',';
            }
        }

        if (mask == 0 && none is not null)
        {
            text.Append(' ').Append(none);
        }
    }

    private void AppendAddress(StringBuilder text, ushort flag, string option, int offset, bool ipv6)
    {
        if (!Has(flag))
        {
            return;
        }

        text.Append(Not(flag)).Append(" --").Append(option).Append(' ').Append(XtText.AddressMask(Info, offset, ipv6));
    }

    private void AppendPort(StringBuilder text, ushort flag, string option, int offset, int highOffset)
    {
        if (!Has(flag))
        {
            return;
        }

        // rev 3 keeps host-order ranges; rev 1/2 a single network-order port.
        bool v3 = Revision == 3;
        ushort low = v3 ? BinaryPrimitives.ReadUInt16LittleEndian(Info.AsSpan(offset)) : BinaryPrimitives.ReadUInt16BigEndian(Info.AsSpan(offset));
        ushort high = v3 ? BinaryPrimitives.ReadUInt16LittleEndian(Info.AsSpan(highOffset)) : (ushort)0;
        text.Append(Not(flag)).Append(" --").Append(option).Append(' ').Append(low.ToString(CultureInfo.InvariantCulture));
        if (high != 0 && high != low)
        {
            text.Append(':').Append(high.ToString(CultureInfo.InvariantCulture));
        }
    }
}
