using System.Net;
using System.Net.Sockets;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Nat;
using SnatTools.Core.Rules;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// Finds the port range each source-NATed entry was drawn from, given the namespace's SNAT rules:
/// the --to-ports of a rule that could have translated it, else the kernel default.
/// </summary>
/// <remarks>
/// Conntrack does not record which rule translated an entry, so "could have" is decided from what
/// the entry shows: the rule's family and protocol (iptables and nft take --to-ports only with a
/// protocol match), its --to-source addresses (when it has some) holding the entry's NAT
/// address, and its --to-ports holding the entry's NAT port. A translated port always
/// lies inside the range that chose it, so a rule whose range misses it did not; of several rules
/// that fit, the narrowest wins (it is the one whose fill matters most). The rule's own matches
/// (dport, daddr, ...) are not consulted. A plain rule's translation may keep the original port,
/// or draw a random one over 1024-65535 (1 in 645 lands in a 100-port range), which can fall
/// inside another rule's range by chance: the answer is then that rule's range, a known limit of
/// matching without the packet path; Get-SnatPortUsage shows such an entry as its own group.
/// </remarks>
public static class SnatRulePortRanges
{
    /// <summary>The range the kernel uses without --to-ports, for one entry's protocol and original port (or ICMP id).</summary>
    public static PortRange? KernelDefault(ConntrackEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.OriginalPort is { } port ? PortRange.KernelNatDefault(entry.Original.Protocol, port) : null;
    }

    /// <summary>
    /// A resolver over the SNAT rules of <paramref name="networkNamespace"/> (null: this one).
    /// Rules that cannot be read cost only precision: <paramref name="warning"/> says why and the
    /// kernel default is used. A missing namespace or missing privileges still throw.
    /// </summary>
    public static NatPortRangeResolver ForNamespace(string? networkNamespace, Action<string>? warning)
    {
        try
        {
            return From(new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = networkNamespace }).Read().ToList());
        }
        catch (SnatToolsException ex) when (ex.ErrorId is not (ErrorIds.NetworkNamespaceNotFound or ErrorIds.PermissionDenied))
        {
            warning?.Invoke($"SNAT rules could not be read ({ex.Message}); port ranges are the kernel defaults, not the rules' --to-ports.");
            return KernelDefault;
        }
    }

    /// <summary>A resolver over <paramref name="rules"/>; the kernel default when none has --to-ports.</summary>
    public static NatPortRangeResolver From(IEnumerable<SnatRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var ranged = rules
            // ToPorts, not the PROTO_SPECIFIED flag: an nft masq uses its port registers whether or
            // not its stored flags say so (nft_masq_eval sets the flag per packet). Ports a map
            // gives differ per entry, so such a rule has no one range.
            .Where(r => r.ToPorts is not null && r.Range is not null && r.AddressMap is null)
            .OrderBy(r => r.Range!.MaxPort - r.Range.MinPort)
            .ToArray();
        if (ranged.Length == 0)
        {
            return KernelDefault;
        }

        return entry => Resolve(ranged, entry);
    }

    private static PortRange? Resolve(SnatRule[] narrowestFirst, ConntrackEntry entry)
    {
        if (entry.NatPort is { } port)
        {
            foreach (var rule in narrowestFirst)
            {
                var range = rule.Range!;
                if (port >= range.MinPort && port <= range.MaxPort
                    && (rule.ProtocolNumber is null || rule.ProtocolNumber == entry.Original.Protocol)
                    && FamilyMatches(rule.Family, entry.Family)
                    && (range.MinAddress is null || Within(entry.NatAddress, range.MinAddress, range.MaxAddress ?? range.MinAddress)))
                {
                    return new PortRange(range.MinPort, range.MaxPort);
                }
            }
        }

        return KernelDefault(entry);
    }

    private static bool FamilyMatches(SnatFamily family, AddressFamily entry) => family switch
    {
        SnatFamily.IPv4 => entry == AddressFamily.InterNetwork,
        SnatFamily.IPv6 => entry == AddressFamily.InterNetworkV6,
        _ => true,
    };

    private static bool Within(IPAddress address, IPAddress min, IPAddress max)
    {
        if (address.AddressFamily != min.AddressFamily || address.AddressFamily != max.AddressFamily)
        {
            return false;
        }

        ReadOnlySpan<byte> value = address.GetAddressBytes();
        return value.SequenceCompareTo(min.GetAddressBytes()) >= 0 && value.SequenceCompareTo(max.GetAddressBytes()) <= 0;
    }
}
