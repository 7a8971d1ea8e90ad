using System.Net;
using CsCheck;
using SnatTools.Core;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Nat;
using SnatTools.Core.PortUsage;
using SnatTools.Core.Race;
using SnatTools.Tests.Conntrack;

namespace SnatTools.Tests.PortUsage;

public sealed class SnatPortUsageTests
{
    private static readonly List<ConntrackEntry> Captured = ConntrackEntryDecodeTests.DecodeAll("ctnetlink-get-conntrack.hex");

    [Fact]
    public void Captured_entries_group_by_nat_address_protocol_destination_zone_and_port_class()
    {
        var usage = SnatPortUsageCalculator.Group(Captured, SnatPortUsageQuery.All, "ns");

        // 10 source-NATed entries; the one to 127.0.0.1 was not NATed.
        Assert.Equal(10, usage.Sum(u => u.Connections));
        var dns = usage.Where(u => u.Protocol == "udp" && u.DestinationPort == 53 && u.Destination == "198.18.0.2").ToArray();
        // Two ephemeral source ports share 1024-65535; source port 700 draws from 600-1023.
        Assert.Equal([(600, 1023, 1), (1024, 65535, 2)], dns.Select(u => (u.Range.Min, u.Range.Max, u.PortsInUse)).OrderBy(t => t.Min));
        Assert.All(dns, u => Assert.Equal("198.18.0.9", u.NatAddress));
        Assert.Equal((ushort)7, usage.Single(u => u.DestinationPort == 5353).Zone);
        var icmp = usage.Single(u => u.Protocol == "icmp");
        Assert.Null(icmp.DestinationPort);
        Assert.Equal(65536, icmp.RangeSize);
        var dns6 = usage.Single(u => u.Protocol == "udp" && u.NatAddress == "2001:db8::9");
        Assert.Equal(2, dns6.PortsInUse);
        Assert.Equal(2.0 / 64512, dns6.FillRatio, 12);
        Assert.All(usage, u => Assert.Equal("ns", u.NetworkNamespace));
        // Fullest first: the 600-1023 group (1 of 424) leads.
        Assert.Equal("600-1023", usage[0].PortRange);
    }

    [Fact]
    public void Every_nat_port_of_the_capture_is_counted_once_in_its_group()
    {
        var usage = SnatPortUsageCalculator.Group(Captured, SnatPortUsageQuery.All, null);
        var expected = Captured.Where(e => e.IsSourceNat).Select(e => (int)e.NatPort!.Value).Order();
        Assert.Equal(expected, usage.SelectMany(u => u.NatPorts).Order());
        Assert.All(usage, u => Assert.Equal(u.NatPorts.Order(), u.NatPorts));
    }

    [Fact]
    public void Destination_and_protocol_filters_keep_only_matching_entries()
    {
        var toDns = SnatPortUsageCalculator.Group(Captured, new SnatPortUsageQuery { Destination = DestinationFilter.Parse("198.18.0.2:53") }, null);
        Assert.Equal(3, toDns.Sum(u => u.Connections));
        Assert.All(toDns, u => Assert.Equal(53, u.DestinationPort));

        var tcp = SnatPortUsageCalculator.Group(Captured, new SnatPortUsageQuery { Protocols = new HashSet<byte> { IpProtocol.Tcp } }, null);
        Assert.Equal(["tcp", "tcp"], tcp.Select(u => u.Protocol));

        var v6 = SnatPortUsageCalculator.Group(Captured, new SnatPortUsageQuery { Destination = DestinationFilter.Parse("[2001:db8::2]:443") }, null);
        Assert.Equal("2001:db8::9", Assert.Single(v6).NatAddress);
    }

    [Fact]
    public void A_rule_range_from_the_resolver_seam_replaces_the_kernel_default()
    {
        var toPorts = PortRange.Parse("20000-29999");
        var query = new SnatPortUsageQuery { Protocols = new HashSet<byte> { IpProtocol.Udp }, Ranges = _ => toPorts };
        var usage = SnatPortUsageCalculator.Group(Captured, query, null);

        Assert.All(usage, u => Assert.Equal(toPorts, u.Range));
        var all = usage.SelectMany(u => u.NatPorts).ToArray();
        Assert.Equal(all.Count(toPorts.Contains), usage.Sum(u => u.PortsInRange));
        Assert.All(usage, u => Assert.Equal((double)u.PortsInRange / 10000, u.FillRatio, 12));
    }

    [Fact]
    public void A_resolver_that_returns_no_range_leaves_the_entry_out()
    {
        Assert.Empty(SnatPortUsageCalculator.Group(Captured, new SnatPortUsageQuery { Ranges = _ => null }, null));
    }

    [Theory]
    [InlineData(IpProtocol.Tcp, 40000, 1024, 65535)]
    [InlineData(IpProtocol.Udp, 1024, 1024, 65535)]
    [InlineData(IpProtocol.Udp, 1023, 600, 1023)]
    [InlineData(IpProtocol.Sctp, 512, 600, 1023)]
    [InlineData(IpProtocol.Tcp, 511, 1, 511)]
    [InlineData(IpProtocol.Icmp, 7, 0, 65535)]
    [InlineData(IpProtocol.IcmpV6, 70000 & 0xffff, 0, 65535)]
    public void The_kernel_default_range_follows_the_original_port_class(byte protocol, int originalPort, int min, int max)
    {
        Assert.Equal(new PortRange(min, max), PortRange.KernelNatDefault(protocol, originalPort));
    }

    [Fact]
    public void Gre_has_no_port_range()
    {
        Assert.Null(PortRange.KernelNatDefault(IpProtocol.Gre, 0));
    }

    [Fact]
    public void The_first_pick_weights_ports_by_the_u16_offset_bias()
    {
        var ephemeral = new PortRange(1024, 65535);
        // off % 64512 maps offsets 0..1023 twice: ports 1024-2047 are drawn twice as often.
        Assert.Equal(2 / 65536.0, SnatCollisionModel.FirstPickTaken(ephemeral, [1024]), 15);
        Assert.Equal(2 / 65536.0, SnatCollisionModel.FirstPickTaken(ephemeral, [2047]), 15);
        Assert.Equal(1 / 65536.0, SnatCollisionModel.FirstPickTaken(ephemeral, [2048]), 15);
        Assert.Equal(0, SnatCollisionModel.FirstPickTaken(ephemeral, [80, 700]));
        Assert.Equal(1, SnatCollisionModel.FirstPickTaken(new PortRange(0, 65535), Enumerable.Range(0, 65536)), 12);
    }

    [Fact]
    public void Over_a_whole_range_the_first_pick_weights_sum_to_one()
    {
        Gen.Int[0, 65535].Select(Gen.Int[0, 65535]).Sample((a, b) =>
        {
            var range = new PortRange(Math.Min(a, b), Math.Max(a, b));
            Assert.Equal(1, SnatCollisionModel.FirstPickTaken(range, Enumerable.Range(range.Min, range.Size)), 9);
        }, iter: 200);
    }

    [Fact]
    public void A_burst_collides_by_the_race_models_birthday_bound_and_more_so_when_fuller()
    {
        var range = new PortRange(1024, 65535);
        Assert.Equal(0, SnatCollisionModel.BurstCollision(range, 0.5, 1));
        double q = SnatRaceClosedForm.RandomPickCollision(range.Size);
        Assert.Equal(1 - Math.Exp(-q), SnatCollisionModel.BurstCollision(range, 0, 2), 15);
        Assert.Equal(1 - Math.Exp(-4950 * q * 3), SnatCollisionModel.BurstCollision(range, 0.5, 100), 12);
        Assert.True(SnatCollisionModel.BurstCollision(range, 0.9, 100) > SnatCollisionModel.BurstCollision(range, 0.1, 100));
    }

    [Fact]
    public void The_burst_formula_is_the_race_models_pair_collision_without_the_timing()
    {
        // One round of two SYNs at half fill: the race model multiplies the same pair collision
        // by the chance the two SYNs race at all; the usage formula assumes they do.
        // One run's window (the median): averaged over runs the race chance is an average too.
        var scenario = new SnatRaceScenario(2) { Algorithm = SnatAlgorithm.RandomFully, Cpus = 2, ExistingConnections = 32256, Timing = RaceTiming.Default with { WindowSigma = 0 } };
        double race = SnatRaceClosedForm.FirstPairRaceProbability(scenario.Timing.FirstRoundWindowTicks, scenario.Timing.ArrivalSpread.Ticks, 2);
        double pairCollision = -Math.Log(1 - SnatCollisionModel.BurstCollision(new PortRange(1024, 65535), 0.5, 2));

        Assert.Equal(SnatRaceClosedForm.ProbabilityAnyDrop(scenario)!.Value, 1 - Math.Exp(-race * pairCollision), 12);
    }

    [Theory]
    [InlineData("198.19.0.2", "198.19.0.2", null)]
    [InlineData(" 198.19.0.2:443 ", "198.19.0.2", 443)]
    [InlineData("2001:db8::2", "2001:db8::2", null)]
    [InlineData("[2001:db8::2]", "2001:db8::2", null)]
    [InlineData("[2001:db8::2]:8080", "2001:db8::2", 8080)]
    public void Destinations_parse_with_an_optional_port(string text, string address, int? port)
    {
        Assert.Equal(new DestinationFilter(IPAddress.Parse(address), port), DestinationFilter.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.com")]
    [InlineData("198.19.0.2:0")]
    [InlineData("198.19.0.2:65536")]
    [InlineData("198.19.0.2:http")]
    [InlineData("1")]
    [InlineData("198.19.2")]
    [InlineData("[2001:db8::2]443")]
    [InlineData("[2001:db8::2")]
    [InlineData("fe80::1%2")]
    public void Bad_destinations_are_refused_with_a_stable_error_id(string text)
    {
        var error = Assert.Throws<SnatToolsException>(() => DestinationFilter.Parse(text));
        Assert.Equal(ErrorIds.InvalidDestination, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }
}
