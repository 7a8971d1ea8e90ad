using System.Globalization;
using System.Net;
using System.Text;

namespace SnatTools.Core.Xtables;

/// <summary>
/// Prints a rule exactly as iptables-save / ip6tables-save print it (iptables/xshared.c
/// save_ipv4_addr, save_ipv6_addr, save_rule_details, save_iface; nft-shared.c
/// save_matches_and_target): "-A CHAIN -s ... -o ... -p ... -m ... -j TARGET options".
/// </summary>
public static class IptablesSaveFormatter
{
    public static string Format(string chain, IptablesRule rule, XtSaveContext context) =>
        "-A " + chain + Criteria(rule, context) + Target(rule);

    /// <summary>The match summary: everything between "-A CHAIN" and the target, without the leading space.</summary>
    public static string FormatMatches(IptablesRule rule, XtSaveContext context) => Criteria(rule, context).TrimStart();

    /// <summary>Addresses, interfaces, protocol, fragment flag and matches, each starting with a space.</summary>
    private static string Criteria(IptablesRule rule, XtSaveContext context)
    {
        var text = new StringBuilder();
        if (rule.IsIPv6)
        {
            AppendIPv6Address(text, 's', rule.Source, rule.SourceMask, rule.SourceInverted);
            AppendIPv6Address(text, 'd', rule.Destination, rule.DestinationMask, rule.DestinationInverted);
        }
        else
        {
            AppendIPv4Address(text, 's', rule.Source, rule.SourceMask, rule.SourceInverted);
            AppendIPv4Address(text, 'd', rule.Destination, rule.DestinationMask, rule.DestinationInverted);
        }

        AppendInterface(text, 'i', rule.InInterface, rule.InInterfaceInverted);
        AppendInterface(text, 'o', rule.OutInterface, rule.OutInterfaceInverted);
        if (rule.Protocol > 0)
        {
            text.Append(rule.ProtocolInverted ? " !" : string.Empty).Append(" -p ").Append(ProtocolNames.ForSave(rule.Protocol));
        }

        if (rule.Fragment)
        {
            text.Append(rule.FragmentInverted ? " !" : string.Empty).Append(" -f");
        }

        foreach (var match in rule.Matches)
        {
            text.Append(match.Save(context));
        }

        return text.ToString();
    }

    private static string Target(IptablesRule rule) =>
        rule.Jump is { Length: > 0 } jump
            ? (rule.Goto ? " -g " : " -j ") + jump + (rule.NatTarget?.SaveOptions() ?? string.Empty)
            : string.Empty;

    private static void AppendIPv4Address(StringBuilder text, char letter, IPAddress address, IPAddress mask, bool inverted)
    {
        Span<byte> maskBytes = stackalloc byte[4];
        Span<byte> addressBytes = stackalloc byte[4];
        mask.TryWriteBytes(maskBytes, out _);
        address.TryWriteBytes(addressBytes, out _);
        bool zeroMask = maskBytes.IndexOfAnyExcept((byte)0) < 0;
        bool zeroAddress = addressBytes.IndexOfAnyExcept((byte)0) < 0;
        if (zeroMask && !inverted && zeroAddress)
        {
            return;
        }

        int cidr = XtText.MaskToCidr(maskBytes);
        string maskText = cidr >= 0 ? cidr.ToString(CultureInfo.InvariantCulture) : XtText.Address(maskBytes);
        text.Append(inverted ? " !" : string.Empty).Append(" -").Append(letter).Append(' ').Append(XtText.Address(addressBytes)).Append('/').Append(maskText);
    }

    private static void AppendIPv6Address(StringBuilder text, char letter, IPAddress address, IPAddress mask, bool inverted)
    {
        Span<byte> maskBytes = stackalloc byte[16];
        mask.TryWriteBytes(maskBytes, out _);
        int cidr = XtText.MaskToCidr(maskBytes);
        if (!inverted && cidr == 0)
        {
            return;
        }

        text.Append(inverted ? " !" : string.Empty).Append(" -").Append(letter).Append(' ').Append(XtText.Address(address)).Append('/')
            .Append(cidr >= 0 ? cidr.ToString(CultureInfo.InvariantCulture) : XtText.Address(maskBytes));
    }

    private static void AppendInterface(StringBuilder text, char letter, string name, bool inverted)
    {
        if (name.Length > 0)
        {
            text.Append(inverted ? " !" : string.Empty).Append(" -").Append(letter).Append(' ').Append(name);
        }
    }
}
