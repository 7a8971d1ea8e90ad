using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using SnatTools.Core;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Lab;
using SnatTools.Core.Linux;
using SnatTools.Core.Nat;
using SnatTools.Core.PortUsage;
using SnatTools.Tests.Conntrack;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.PortUsage;

[Collection(LabCollection.Name)]
public sealed class SnatPortUsageLiveTests
{
    [SkippableFact]
    public void In_the_race_lab_every_groups_nat_ports_are_the_ones_conntrack_L_lists()
    {
        Root.Require();
        using var lab = SnatRaceLab.Create(LabMasqueradeMode.RandomFully, clients: 16);
        KeepClosedEntries(lab);
        var burst = lab.RunBursts(16, 20, TimeSpan.FromMilliseconds(5), sharedSourcePort: false);
        Assert.Equal(320, burst.Connections);
        int natted = (20 + SnatRaceLab.WarmUpBursts) * 16;
        using var host = new PowerShellHost();

        var (output, errors) = host.Invoke("Get-SnatPortUsage -NetworkNamespace $ns", new Dictionary<string, object?> { ["ns"] = lab.NatNamespace });
        var oracle = ConntrackSourceNat(lab.NatNamespace);

        Assert.Empty(errors);
        var usage = output.Select(o => (SnatPortUsage)o.BaseObject).ToArray();
        Assert.Equal(oracle, ByDestination(usage));
        var server = Assert.Single(usage, u => u.DestinationIPAddress.Equals(LabAddressPlan.Server) && u.DestinationPort == LabAddressPlan.ServerPort);
        Assert.Equal(LabAddressPlan.NatOutside, server.NatIPAddress);
        Assert.Equal("tcp", server.Protocol);
        Assert.Equal(natted, server.PortsInUse);
        Assert.Equal("1024-65535", server.PortRange);
        Assert.Equal(natted / 64512.0, server.FillRatio, 12);
        Assert.InRange(server.CollisionProbability, natted / 65536.0, 2 * natted / 65536.0);
        Assert.Equal(lab.NatNamespace, server.NetworkNamespace);
    }

    [SkippableFact]
    public void In_the_race_lab_destination_and_protocol_narrow_the_answer()
    {
        Root.Require();
        using var lab = SnatRaceLab.Create(LabMasqueradeMode.RandomFully, clients: 4);
        KeepClosedEntries(lab);
        lab.RunBursts(4, 5, TimeSpan.FromMilliseconds(5), sharedSourcePort: false);
        using var host = new PowerShellHost();
        var variables = new Dictionary<string, object?> { ["ns"] = lab.NatNamespace };

        var (toServer, _) = host.Invoke("Get-ChildItem /run/netns/$ns | Get-SnatPortUsage -Destination 198.19.0.2:8080 -Protocol tcp", variables);
        var (otherPort, _) = host.Invoke("Get-SnatPortUsage 198.19.0.2:9 -NetworkNamespace $ns", variables);
        var (udp, _) = host.Invoke("Get-SnatPortUsage -Protocol udp -NetworkNamespace $ns", variables);

        Assert.Equal((5 + SnatRaceLab.WarmUpBursts) * 4, ((SnatPortUsage)Assert.Single(toServer).BaseObject).PortsInUse);
        Assert.Empty(otherPort);
        Assert.Empty(udp);
    }

    [SkippableFact]
    public void Ipv4_and_ipv6_source_nat_match_conntrack_L_and_the_kernel_filters_by_status()
    {
        Root.Require();
        using var ns = NatNamespace("usage46");
        ConntrackLiveTests.TrackLoopbackUdp(ns, 25); // tracked, not NATed: the kernel filter must leave them out
        NetworkNamespace.Run(ns.Name, () =>
        {
            SendUdp(IPAddress.Parse("198.18.0.2"), 53, 40, 20000);
            SendUdp(IPAddress.Parse("198.18.0.3"), 123, 7, 20000);
            SendUdp(IPAddress.Parse("2001:db8::2"), 53, 30, 20000);
            return 0;
        });

        using var reader = ConntrackEntryReader.Open(ns.Name);
        var v4 = reader.DumpSourceNat(ConntrackEntryDecoder.AfInet);
        var v6 = reader.DumpSourceNat(ConntrackEntryDecoder.AfInet6);
        var both = reader.DumpSourceNat(ConntrackEntryDecoder.AfUnspec);
        var usage = SnatPortUsageReader.Read(ns.Name, SnatPortUsageQuery.All);
        var oracle = ConntrackSourceNat(ns.Name);

        Assert.Equal(47, v4.Entries.Count);
        Assert.Equal(30, v6.Entries.Count);
        Assert.True(v4.FilteredByKernel, $"the kernel sent {v4.SkippedByStatus} entries without IPS_SRC_NAT");
        Assert.Equal(v4.Entries.Count, v4.Received);
        Assert.All(v6.Entries, e => Assert.Equal(AddressFamily.InterNetworkV6, e.Family));
        Assert.Equal(77, both.Entries.Count);
        Assert.True(both.FilteredByKernel);
        Assert.Equal(oracle, ByDestination(usage));
        var dns6 = Assert.Single(usage, u => u.NatAddress == "2001:db8::9");
        Assert.Equal(30, dns6.PortsInUse);
        Assert.Equal(40, Assert.Single(usage, u => u.DestinationPort == 53 && u.NatAddress == "198.18.0.9").PortsInUse);
    }

    [SkippableFact]
    public void A_rules_to_ports_range_is_the_range_of_the_connections_it_translated()
    {
        Root.Require();
        using var ns = NatNamespace("usagerange");
        ns.ExecWithInput(
            "insert rule ip nat post udp dport 5353 snat to 198.18.0.9:40000-40099 fully-random\n"
            + "insert rule ip6 nat post udp dport 5353 snat to [2001:db8::9]:41000-41049 fully-random\n",
            "nft", "-f", "-");
        NetworkNamespace.Run(ns.Name, () =>
        {
            SendUdp(IPAddress.Parse("198.18.0.2"), 5353, 30, 20000);
            SendUdp(IPAddress.Parse("198.18.0.2"), 53, 10, 21000);
            SendUdp(IPAddress.Parse("2001:db8::2"), 5353, 5, 22000);
            return 0;
        });
        using var host = new PowerShellHost();

        var (output, errors) = host.Invoke("Get-SnatPortUsage -NetworkNamespace $ns", new Dictionary<string, object?> { ["ns"] = ns.Name });

        Assert.Empty(errors);
        var usage = output.Select(o => (SnatPortUsage)o.BaseObject).ToArray();
        Assert.Equal(ConntrackSourceNat(ns.Name), ByDestination(usage));
        var mdns = Assert.Single(usage, u => u.DestinationPort == 5353 && u.DestinationIPAddress.AddressFamily == AddressFamily.InterNetwork);
        Assert.Equal(new PortRange(40000, 40099), mdns.Range);
        Assert.Equal(30, mdns.PortsInUse);
        Assert.Equal(0.3, mdns.FillRatio, 12);
        Assert.All(mdns.NatPorts, p => Assert.InRange(p, 40000, 40099));
        var mdns6 = Assert.Single(usage, u => u.DestinationPort == 5353 && u.DestinationIPAddress.AddressFamily == AddressFamily.InterNetworkV6);
        Assert.Equal(new PortRange(41000, 41049), mdns6.Range);
        Assert.Equal(0.1, mdns6.FillRatio, 12);

        // The port-53 flows leave through the plain rule: fully-random over 1024-65535, so each NAT
        // port lands inside the 5353 rule's 40000-40099 with p = 100/64512 (1 in 645). The resolver
        // cannot see a rule's dport match (SnatRulePortRanges: same family, protocol and NAT
        // address, port inside the range = could have translated it), so such an entry is grouped
        // under 40000-40099. Asserting one 1024-65535 group failed ~1.5 % of runs (10 flows:
        // 1 - (1 - 100/64512)^10), with or without load. What holds for every draw: each entry
        // outside 40000-40099 has the kernel default, each inside the rule's range, none is lost.
        var dns = usage.Where(u => u.DestinationPort == 53).ToArray();
        Assert.Equal(10, dns.Sum(u => u.PortsInUse));
        Assert.All(dns, u => Assert.All(u.NatPorts, p => Assert.Equal(
            p is >= 40000 and <= 40099 ? new PortRange(40000, 40099) : new PortRange(1024, 65535),
            u.Range)));
        Assert.Contains(dns, u => u.PortRange == "1024-65535"); // all 10 inside the rule's range: p = 645^-10, never
    }

    [SkippableFact]
    public void A_table_of_thousands_of_nated_entries_shows_progress_while_it_is_read()
    {
        Root.Require();
        using var ns = NatNamespace("usageprog");
        const int Flows = ConntrackEntryReader.ProgressEvery + 500;
        NetworkNamespace.Run(ns.Name, () =>
        {
            SendUdp(IPAddress.Parse("198.18.0.2"), 53, Flows, 20000);
            return 0;
        });
        using var shell = PowerShell.Create(SnatTools.SnatToolsSessionState.Create());

        var output = shell.AddScript("Get-SnatPortUsage -NetworkNamespace $args[0]").AddArgument(ns.Name).Invoke();

        Assert.Equal(Flows, ((SnatPortUsage)Assert.Single(output).BaseObject).PortsInUse);
        var progress = shell.Streams.Progress.ToArray();
        Assert.Contains(progress, p => p.Activity == "Get-SnatPortUsage" && p.StatusDescription.Contains("4,096", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
    }

    [Fact]
    public void A_destination_that_is_no_address_stops_the_cmdlet_with_InvalidDestination()
    {
        using var host = new PowerShellHost();
        var (output, _) = host.Invoke("try { Get-SnatPortUsage -Destination 'db.example:5432'; 'not stopped' } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category }");
        Assert.Equal($"{ErrorIds.InvalidDestination},SnatTools.Cmdlets.GetSnatPortUsageCommand", output[0].ToString());
        Assert.Equal(ErrorCategory.InvalidArgument.ToString(), output[1].ToString());
    }

    [Fact]
    public void A_missing_namespace_is_a_non_terminating_error_with_a_stable_id()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("[pscustomobject]@{ FullName = 'snattools-nope-1' } | Get-SnatPortUsage");
        Assert.Empty(output);
        Assert.StartsWith(ErrorIds.NetworkNamespaceNotFound, Assert.Single(errors).FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    /// <summary>
    /// The lab's connections end in CLOSE, which conntrack keeps for 10 s; a slow machine must not
    /// see entries expire between the bursts, the cmdlet and the oracle. The sysctl is per namespace.
    /// </summary>
    private static void KeepClosedEntries(SnatRaceLab lab) =>
        Cli.Run("ip", "netns", "exec", lab.NatNamespace, "sysctl", "-qw", "net.netfilter.nf_conntrack_tcp_timeout_close=600");

    /// <summary>
    /// A namespace whose nat postrouting source-NATs everything leaving the veth d0
    /// (198.18.0.1/24, 2001:db8::1/64) to 198.18.0.9 / 2001:db8::9 with fully-random ports.
    /// </summary>
    private static TestNamespace NatNamespace(string purpose)
    {
        var ns = new TestNamespace(purpose);
        try
        {
            // Unreplied UDP entries live 30 s, fixed when the datagram passes: a machine stalled
            // that long between the sends and the reads would lose entries. Set before any traffic.
            ns.Exec("sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=600");
            ns.Exec("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1");
            ns.Exec("ip", "link", "set", "d0", "up");
            ns.Exec("ip", "link", "set", "d1", "up");
            ns.Exec("ip", "addr", "add", "198.18.0.1/24", "dev", "d0");
            ns.Exec("ip", "-6", "addr", "add", "2001:db8::1/64", "dev", "d0", "nodad");
            ns.ExecWithInput(
                "table ip nat {\n chain post {\n type nat hook postrouting priority srcnat;\n oifname \"d0\" snat to 198.18.0.9 fully-random\n }\n}\n"
                + "table ip6 nat {\n chain post {\n type nat hook postrouting priority srcnat;\n oifname \"d0\" snat to 2001:db8::9 fully-random\n }\n}\n",
                "nft", "-f", "-");
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>One datagram each from <paramref name="flows"/> sockets bound to consecutive source ports: that many NATed entries.</summary>
    private static void SendUdp(IPAddress destination, int port, int flows, int firstSourcePort)
    {
        for (int i = 0; i < flows; i++)
        {
            using var socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(destination.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, firstSourcePort + i));
            socket.SendTo([1], new IPEndPoint(destination, port));
        }
    }

    /// <summary>The product's groups merged over port ranges: (NAT address, protocol, destination, port, zone) → NAT ports.</summary>
    private static Dictionary<string, string> ByDestination(IEnumerable<SnatPortUsage> usage) =>
        usage.GroupBy(u => Key(u.NatAddress.ToString(), u.Protocol, u.Destination.ToString(), u.DestinationPort?.ToString(CultureInfo.InvariantCulture), u.Zone.ToString(CultureInfo.InvariantCulture)))
            .ToDictionary(g => g.Key, g => string.Join(',', g.SelectMany(u => u.NatPorts).Order()));

    /// <summary>The oracle: conntrack -L --src-nat, reply tuples grouped the same way. Parsed here only.</summary>
    private static Dictionary<string, string> ConntrackSourceNat(string ns)
    {
        var groups = new Dictionary<string, List<int>>();
        string text = Cli.Run("ip", "netns", "exec", ns, "conntrack", "-L", "--src-nat");
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string Value(string name, int occurrence) => fields.Where(f => f.StartsWith(name + "=", StringComparison.Ordinal)).ElementAt(occurrence)[(name.Length + 1)..];
            bool icmp = fields[0].StartsWith("icmp", StringComparison.Ordinal);
            string zone = fields.FirstOrDefault(f => f.StartsWith("zone=", StringComparison.Ordinal))?[5..] ?? "0";
            string key = Key(Value("dst", 1), fields[0], Value("src", 1), icmp ? null : Value("sport", 1), zone);
            int natPort = int.Parse(icmp ? Value("id", 1) : Value("dport", 1), CultureInfo.InvariantCulture);
            if (!groups.TryGetValue(key, out var ports))
            {
                groups[key] = ports = [];
            }

            ports.Add(natPort);
        }

        return groups.ToDictionary(g => g.Key, g => string.Join(',', g.Value.Order()));
    }

    private static string Key(string nat, string protocol, string destination, string? port, string zone) =>
        $"{nat} {protocol} {destination}:{port} zone {zone}";
}
