using System.Net;
using System.Net.Sockets;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Nat;
using SnatTools.Core.PortUsage;
using SnatTools.Core.Rules;

namespace SnatTools.Tests.PortUsage;

public sealed class SnatRulePortRangesTests
{
    private static readonly PortRange KernelDefault = new(1024, 65535);

    [Fact]
    public void Without_a_rule_with_to_ports_every_entry_gets_the_kernel_default()
    {
        var resolve = SnatRulePortRanges.From([Rule(SnatFamily.IPv4, IpProtocol.Tcp, minPort: 0, maxPort: 0)]);
        Assert.Equal(KernelDefault, resolve(Entry("198.19.0.1", IpProtocol.Tcp, natPort: 40010)));
    }

    [Fact]
    public void The_narrowest_rule_whose_range_holds_the_nat_port_wins()
    {
        var resolve = SnatRulePortRanges.From(
        [
            Rule(SnatFamily.IPv4, IpProtocol.Tcp, 30000, 49999),
            Rule(SnatFamily.IPv4, IpProtocol.Tcp, 40000, 40099),
        ]);
        Assert.Equal(new PortRange(40000, 40099), resolve(Entry("198.19.0.1", IpProtocol.Tcp, natPort: 40010)));
        Assert.Equal(new PortRange(30000, 49999), resolve(Entry("198.19.0.1", IpProtocol.Tcp, natPort: 45000)));
        Assert.Equal(KernelDefault, resolve(Entry("198.19.0.1", IpProtocol.Tcp, natPort: 50000)));
    }

    [Fact]
    public void A_rule_of_another_family_protocol_or_address_did_not_translate_the_entry()
    {
        var resolve = SnatRulePortRanges.From(
        [
            Rule(SnatFamily.IPv6, IpProtocol.Tcp, 40000, 40099),
            Rule(SnatFamily.IPv4, IpProtocol.Udp, 40000, 40199),
            Rule(SnatFamily.IPv4, IpProtocol.Tcp, 40000, 40299, "198.19.0.5", "198.19.0.9"),
        ]);

        Assert.Equal(KernelDefault, resolve(Entry("198.19.0.1", IpProtocol.Tcp, natPort: 40010)));
        Assert.Equal(new PortRange(40000, 40199), resolve(Entry("198.19.0.1", IpProtocol.Udp, natPort: 40010)));
        Assert.Equal(new PortRange(40000, 40299), resolve(Entry("198.19.0.7", IpProtocol.Tcp, natPort: 40010)));
        Assert.Equal(new PortRange(40000, 40099), resolve(Entry("2001:db8::9", IpProtocol.Tcp, natPort: 40010)));

        // An ICMP echo id that happens to lie inside a TCP rule's range keeps the id range.
        Assert.Equal(new PortRange(0, 65535), resolve(Entry("198.19.0.7", IpProtocol.Icmp, natPort: 40010)));
    }

    [Fact]
    public void An_inet_rule_without_protocol_matches_both_families()
    {
        var resolve = SnatRulePortRanges.From([Rule(SnatFamily.Inet, protocol: null, 40000, 40099)]);
        Assert.Equal(new PortRange(40000, 40099), resolve(Entry("198.19.0.1", IpProtocol.Udp, natPort: 40000)));
        Assert.Equal(new PortRange(40000, 40099), resolve(Entry("2001:db8::9", IpProtocol.Tcp, natPort: 40099)));
    }

    private static SnatRule Rule(SnatFamily family, byte? protocol, int minPort, int maxPort, string? minAddress = null, string? maxAddress = null)
    {
        var flags = (minPort == 0 ? NatRangeFlags.None : NatRangeFlags.ProtoSpecified) | (minAddress is null ? NatRangeFlags.None : NatRangeFlags.MapIps);
        var range = new NatRange(flags, minAddress is null ? null : IPAddress.Parse(minAddress), maxAddress is null ? null : IPAddress.Parse(maxAddress), (ushort)minPort, (ushort)maxPort);
        return new SnatRule
        {
            Backend = SnatBackend.Nftables,
            Family = family,
            Table = "nat",
            Chain = "post",
            Position = 1,
            Action = minAddress is null ? SnatAction.Masquerade : SnatAction.Snat,
            Flags = flags,
            Range = range,
            ToPorts = range.PortText,
            ToAddresses = range.AddressText,
            ProtocolNumber = protocol,
            Matches = string.Empty,
            Owner = SnatOwner.Unknown,
            Text = "test rule",
            Unknown = [],
            Locator = new TestLocator(),
        };
    }

    private static ConntrackEntry Entry(string natAddress, byte protocol, int natPort)
    {
        var nat = IPAddress.Parse(natAddress);
        var family = nat.AddressFamily;
        var client = IPAddress.Parse(family == AddressFamily.InterNetwork ? "198.18.0.7" : "2001:db8::7");
        var server = IPAddress.Parse(family == AddressFamily.InterNetwork ? "198.19.0.2" : "2001:db8::2");
        bool icmp = protocol is IpProtocol.Icmp or IpProtocol.IcmpV6;
        var original = new ConntrackTuple(client, server, protocol, icmp ? null : (ushort)50000, icmp ? null : (ushort)80, icmp ? (ushort)50000 : null, icmp ? (byte)8 : null, icmp ? (byte)0 : null, null, []);
        var reply = new ConntrackTuple(server, nat, protocol, icmp ? null : (ushort)80, icmp ? null : (ushort)natPort, icmp ? (ushort)natPort : null, icmp ? (byte)0 : null, icmp ? (byte)0 : null, null, []);
        return new ConntrackEntry(family, original, reply, ConntrackStatus.Confirmed | ConntrackStatus.SourceNat, 0, 0, 30, null, 1, []);
    }

    private sealed record TestLocator : RuleLocator;
}
