using System.Net;

namespace SnatTools.Core.Xtables;

/// <summary>
/// A rule as iptables thinks of it (struct iptables_command_state): the ipt_ip/ip6t_ip6 header
/// fields, the matches in order, and the target or jump. Built from an iptables-legacy entry or
/// parsed back from the nf_tables expressions iptables-nft wrote; printed by <see cref="IptablesSaveFormatter"/>.
/// </summary>
public sealed class IptablesRule
{
    internal IptablesRule(bool isIPv6)
    {
        IsIPv6 = isIPv6;
        var any = isIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        Source = SourceMask = Destination = DestinationMask = any;
    }

    public bool IsIPv6 { get; }

    public IPAddress Source { get; internal set; }

    public IPAddress SourceMask { get; internal set; }

    public bool SourceInverted { get; internal set; }

    public IPAddress Destination { get; internal set; }

    public IPAddress DestinationMask { get; internal set; }

    public bool DestinationInverted { get; internal set; }

    /// <summary>-i as iptables prints it ("eth0", "veth+"); empty when absent.</summary>
    public string InInterface { get; internal set; } = string.Empty;

    public bool InInterfaceInverted { get; internal set; }

    /// <summary>-o as iptables prints it ("docker0", "br-+"); empty when absent.</summary>
    public string OutInterface { get; internal set; } = string.Empty;

    public bool OutInterfaceInverted { get; internal set; }

    /// <summary>-p protocol number; 0 for any.</summary>
    public ushort Protocol { get; internal set; }

    public bool ProtocolInverted { get; internal set; }

    /// <summary>-f (IPv4 only).</summary>
    public bool Fragment { get; internal set; }

    public bool FragmentInverted { get; internal set; }

    public List<XtMatch> Matches { get; } = [];

    /// <summary>The NAT target when the rule ends in -j MASQUERADE or -j SNAT.</summary>
    public XtNatTarget? NatTarget { get; internal set; }

    /// <summary>The target or jump name as printed after -j/-g (MASQUERADE, ACCEPT, KUBE-POSTROUTING, ...), or null.</summary>
    public string? Jump { get; internal set; }

    /// <summary>-g instead of -j.</summary>
    public bool Goto { get; internal set; }

    public ulong Packets { get; internal set; }

    public ulong Bytes { get; internal set; }

    /// <summary>Parts of the kernel rule iptables' own parser would not show or this version cannot print.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Native expressions iptables-nft wrote for a match (limit) that the parser turned back into it.</summary>
    internal HashSet<Nftables.Expressions.Expression> NativeMatchExpressions { get; } = [];

    /// <summary>The comment of the first comment match, if any.</summary>
    public string? Comment => Matches.OfType<Matches.CommentMatch>().FirstOrDefault()?.Comment;
}
