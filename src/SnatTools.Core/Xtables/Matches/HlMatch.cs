namespace SnatTools.Core.Xtables.Matches;

/// <summary>-m hl (uapi netfilter_ipv6/ip6t_hl.h struct ip6t_hl_info { u8 mode; u8 hop_limit }), as libip6t_hl.c hl_save prints it.</summary>
public sealed class HlMatch : XtMatch
{
    private static readonly string[] Operators = ["--hl-eq", "! --hl-eq", "--hl-lt", "--hl-gt"];

    private HlMatch(uint revision, byte[] info)
        : base("hl", revision, info)
    {
    }

    // A mode past IP6T_HL_GT has no text in hl_save (it would print garbage): not decoded.
    public static HlMatch? Decode(uint revision, byte[] info) => revision == 0 && info.Length == 8 && info[0] < Operators.Length ? new HlMatch(revision, info) : null;

    public override string SaveOptions(XtSaveContext context) => $" {Operators[Info[0]]} {Info[1]}";
}
