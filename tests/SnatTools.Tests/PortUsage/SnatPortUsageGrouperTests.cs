using System.Net;
using System.Net.Sockets;
using CsCheck;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Nat;
using SnatTools.Core.PortUsage;

namespace SnatTools.Tests.PortUsage;

public sealed class SnatPortUsageGrouperTests
{
    private static readonly IPAddress[] NatAddresses = [IPAddress.Parse("198.19.0.1"), IPAddress.Parse("198.19.0.9")];
    private static readonly IPAddress[] Servers = [IPAddress.Parse("198.18.1.1"), IPAddress.Parse("198.18.1.2"), IPAddress.Parse("198.18.1.3")];
    private static readonly byte[] Protocols = [IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Icmp, IpProtocol.Gre];

    [Fact]
    public void Streamed_groups_equal_a_plain_grouping_of_the_same_entries()
    {
        var entry = Gen.Select(Gen.Int[0, 1], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 1], Gen.Int[1, 2000], Gen.Int[0, 300], Gen.Int[0, 5], Gen.Bool)
            .Select(t => Entry(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, t.Item8));
        entry.Array[0, 400].Sample(entries =>
        {
            var grouper = new SnatPortUsageGrouper(SnatPortUsageQuery.All);
            foreach (var e in entries)
            {
                grouper.Add(e);
            }

            var actual = grouper.Build("ns")
                .Select(u => $"{u.NatAddress} {u.Protocol} {u.Destination}:{u.DestinationPort} z{u.Zone} {u.PortRange} {u.Connections} [{string.Join(',', u.NatPorts)}]")
                .Order(StringComparer.Ordinal);
            Assert.Equal(Expected(entries), actual);
        }, iter: 300);
    }

    [Fact]
    public void Entries_in_different_reply_zones_do_not_share_ports()
    {
        var grouper = new SnatPortUsageGrouper(SnatPortUsageQuery.All);
        grouper.Add(Entry(0, 0, 0, 0, 40000, 2000, 0, sourceNat: true));
        grouper.Add(Entry(0, 0, 0, 0, 40001, 2001, 5, sourceNat: true)); // zone 5 for the reply direction only
        grouper.Add(Entry(0, 0, 0, 0, 40002, 2002, 4, sourceNat: true)); // zone 4 for both directions (CTA_ZONE)

        var usage = grouper.Build(null);

        Assert.Equal([(ushort)0, (ushort)4, (ushort)5], usage.Select(u => u.Zone).Order());
        Assert.All(usage, u => Assert.Equal(1, u.PortsInUse));
        Assert.Equal(3, grouper.Counted);
    }

    [Fact]
    public void Two_entries_with_the_same_reply_tuple_are_two_connections_on_one_port()
    {
        var grouper = new SnatPortUsageGrouper(SnatPortUsageQuery.All);
        Assert.True(grouper.Add(Entry(0, 1, 0, 0, 40000, 3000, 0, sourceNat: true)));
        Assert.True(grouper.Add(Entry(0, 1, 0, 0, 40001, 3000, 0, sourceNat: true)));
        Assert.False(grouper.Add(Entry(0, 1, 0, 0, 40002, 3001, 0, sourceNat: false)));

        var usage = Assert.Single(grouper.Build(null));
        Assert.Equal(2, usage.Connections);
        Assert.Equal([3000], usage.NatPorts);
    }

    /// <summary>
    /// An entry from client 198.18.0.x:<paramref name="originalPort"/> to a server, source-NATed (or
    /// not) to a NAT address and port. Zone 1-3 is a both-direction zone, 4-5 a reply-only one.
    /// </summary>
    private static ConntrackEntry Entry(int nat, int protocol, int server, int serverPort, int originalPort, int natPort, int zone, bool sourceNat)
    {
        byte number = Protocols[protocol];
        bool icmp = number == IpProtocol.Icmp;
        bool ports = number is IpProtocol.Tcp or IpProtocol.Udp;
        var client = IPAddress.Parse("198.18.0.7");
        ushort? replyZone = zone >= 4 ? (ushort)zone : null;
        ushort entryZone = zone is >= 1 and <= 3 ? (ushort)zone : (ushort)0;
        var original = new ConntrackTuple(
            client, Servers[server], number,
            ports ? (ushort)originalPort : null, ports ? (ushort)(80 + serverPort) : null,
            icmp ? (ushort)originalPort : null, icmp ? (byte)8 : null, icmp ? (byte)0 : null,
            null, []);
        var reply = new ConntrackTuple(
            Servers[server], sourceNat ? NatAddresses[nat] : client, number,
            ports ? (ushort)(80 + serverPort) : null, ports ? (ushort)natPort : null,
            icmp ? (ushort)natPort : null, icmp ? (byte)0 : null, icmp ? (byte)0 : null,
            replyZone, []);
        var status = ConntrackStatus.Confirmed | (sourceNat ? ConntrackStatus.SourceNat : ConntrackStatus.None);
        return new ConntrackEntry(AddressFamily.InterNetwork, original, reply, status, entryZone, 0, 30, null, 1, []);
    }

    /// <summary>The grouping written out the obvious way, as the oracle for the streaming one.</summary>
    private static IEnumerable<string> Expected(ConntrackEntry[] entries) => entries
        .Where(e => e.IsSourceNat && (e.Reply.DestinationPort ?? e.Reply.IcmpId) is not null)
        .Select(e => new
        {
            Key = $"{e.Reply.Destination} {IpProtocol.Name(e.Original.Protocol)} {e.Reply.Source}:{e.Reply.SourcePort} z{(e.Zone != 0 ? e.Zone : e.Reply.Zone ?? 0)} {PortRange.KernelNatDefault(e.Original.Protocol, e.Original.SourcePort ?? e.Original.IcmpId ?? 0)}",
            Port = (int)(e.Reply.DestinationPort ?? e.Reply.IcmpId)!.Value,
        })
        .GroupBy(x => x.Key)
        .Select(g => $"{g.Key} {g.Count()} [{string.Join(',', g.Select(x => x.Port).Distinct().Order())}]")
        .Order(StringComparer.Ordinal);
}
