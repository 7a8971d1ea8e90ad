namespace SnatTools.Core.Xtables.Matches;

/// <summary>
/// -m icmp and -m icmp6 (uapi netfilter_ipv4/ip_tables.h struct ipt_icmp, netfilter_ipv6/ip6_tables.h
/// struct ip6t_icmp: { u8 type; u8 code[2]; u8 invflags }), as libipt_icmp.c icmp_save and
/// libip6t_icmp6.c icmp6_save print them (type 0xff is "any" for IPv4).
/// </summary>
public sealed class IcmpMatch : XtMatch
{
    private IcmpMatch(string name, uint revision, byte[] info)
        : base(name, revision, info)
    {
    }

    public static IcmpMatch? Decode(string name, uint revision, byte[] info) => revision == 0 && info.Length == 8 ? new IcmpMatch(name, revision, info) : null;

    public override string SaveOptions(XtSaveContext context)
    {
        string invert = XtText.Not((Info[3] & 0x01) != 0);
        if (Name == "icmp" && Info[0] == 0xff)
        {
            return invert + " --icmp-type any";
        }

        string code = Info[1] != 0 || Info[2] != 0xff ? $"/{Info[1]}" : string.Empty;
        return $"{invert} --{(Name == "icmp" ? "icmp" : "icmpv6")}-type {Info[0]}{code}";
    }
}
