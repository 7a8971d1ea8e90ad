using System.Globalization;

namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m ttl rev 0, IPv4 only (uapi ipt_ttl.h): struct ipt_ttl_info { u8 mode, ttl } = 2, aligned 8.</summary>
public sealed class TtlMatch : XtMatch
{
    private const int Size = 8;

    private TtlMatch(byte[] info)
        : base("ttl", 0, info)
    {
    }

    public static TtlMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == Size ? new TtlMatch(info) : null;

    /// <summary>ttl_save: the mode (IPT_TTL_EQ, NE, LT, GT; nothing for another value), then " %u".</summary>
    public override string SaveOptions(XtSaveContext context) => (Info[0] switch
    {
        0 => " --ttl-eq",
        1 => " ! --ttl-eq",
        2 => " --ttl-lt",
        3 => " --ttl-gt",
        _ => string.Empty,
    }) + " " + Info[1].ToString(CultureInfo.InvariantCulture);
}
