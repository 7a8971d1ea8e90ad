using SnatTools.Core.Conntrack;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;

namespace SnatTools.Core.Lab;

/// <summary>
/// A throw-away lab that reproduces the SNAT source-port race on the real kernel:
/// <code>
///  client ns                  nat ns ("Docker host")                 server ns
///  eth0 198.18.x.y/16 ─veth─ docker0 198.18.255.254/16
///                            eth0 198.19.0.1/24 ─────────veth────── eth0 198.19.0.2/24 :8080
///                            nat POSTROUTING: -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE
/// </code>
/// Every address is in 198.18.0.0/15, nothing is connected to the host's own namespace, and
/// <see cref="Dispose"/> deletes all three namespaces (the veths go with them). The lab is
/// recorded with its owner (<see cref="LabRegistry"/>) before its first namespace exists, so a
/// lab whose process is killed is removed by the next <see cref="Create"/> or by
/// Remove-SnatRaceLab -Orphaned.
/// </summary>
public sealed class SnatRaceLab : IDisposable
{
    private const string ClientSide = "docker0";
    private const string OutsideSide = "eth0";
    private const string PeerName = "eth0";
    private const int FirstSourcePort = 10000;
    private const int LastSourcePort = 60999;

    /// <summary>Longer pauses add nothing (the path is cold after milliseconds) and only make a run look hung.</summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Unmeasured bursts fired before the measured ones (their connections stay in the NAT
    /// host's conntrack table like the others).
    /// </summary>
    public const int WarmUpBursts = 1;

    private static readonly List<SnatRaceLab> Open = [];

    private readonly Lock _portsGate = new();

    private readonly LabServer _server;
    private int _nextSourcePort = FirstSourcePort;
    private bool _disposed;

    static SnatRaceLab()
    {
        // A lab left open when the process ends (a script stopped with Ctrl+C) is still removed.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            SnatRaceLab[] labs;
            lock (Open)
            {
                labs = [.. Open];
            }

            foreach (var lab in labs)
            {
                lab.Dispose();
            }
        };
    }

    private SnatRaceLab(string name, int clients, int cpus, LabMasqueradeMode mode, LabServer server)
    {
        Name = name;
        Clients = clients;
        Cpus = cpus;
        Mode = mode;
        _server = server;
    }

    /// <summary>This process may create labs (and remove orphaned ones): it runs as root.</summary>
    public static bool CanCreate => Libc.geteuid() == 0;

    public string Name { get; }

    public bool IsDisposed => _disposed;

    public string ClientNamespace => Name + "-client";

    public string NatNamespace => Name + "-nat";

    public string ServerNamespace => Name + "-server";

    /// <summary>Client addresses configured (the most connections one burst can make with a shared source port).</summary>
    public int Clients { get; }

    public int Cpus { get; }

    /// <summary>The flags the MASQUERADE rule was created with (Set-SnatRule may change them later: see <see cref="ReadMode"/>).</summary>
    public LabMasqueradeMode Mode { get; }

    /// <summary>
    /// The flags the NAT host's MASQUERADE rule has now, read back from the kernel: after
    /// Set-SnatRule they differ from <see cref="Mode"/>. Random-fully wins when both are set, as
    /// in the kernel, where both take the same path.
    /// </summary>
    public LabMasqueradeMode ReadMode()
    {
        ThrowIfRemoved();
        var rule = new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = NatNamespace }).Read()
            .FirstOrDefault(r => r.Table == "nat" && r.Chain == "POSTROUTING")
            ?? throw new SnatToolsException(ErrorIds.RuleNotFound, ErrorKind.ObjectNotFound,
                $"the lab's MASQUERADE rule is gone from {NatNamespace} (nat POSTROUTING).", NatNamespace);
        return rule.RandomFully ? LabMasqueradeMode.RandomFully : rule.Random ? LabMasqueradeMode.Random : LabMasqueradeMode.Plain;
    }

    /// <summary>
    /// Builds the lab, after removing labs whose owner process has ended. Needs root (namespaces,
    /// veths, nf_tables); otherwise <see cref="ErrorIds.LabUnavailable"/>. A name whose namespaces
    /// exist gives <see cref="ErrorIds.LabNameInUse"/> and leaves them alone. On any failure
    /// everything created so far is removed.
    /// </summary>
    public static SnatRaceLab Create(LabMasqueradeMode mode, int clients, int? cpus = null, string? name = null)
    {
        if (!CanCreate)
        {
            throw new SnatToolsException(ErrorIds.LabUnavailable, ErrorKind.PermissionDenied,
                "The live lab creates network namespaces, veth pairs and nftables rules, which needs root. Run as root (for example with sudo), or leave out -Live to use the model alone.");
        }

        if (clients < 1 || clients > LabAddressPlan.MaxClients)
        {
            throw new SnatToolsException(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument, $"the lab supports 1 to {LabAddressPlan.MaxClients} client addresses; asked for {clients}.");
        }

        int cpuCount = Math.Clamp(cpus ?? Environment.ProcessorCount, 1, Environment.ProcessorCount);
        name ??= $"snattools-lab-{Guid.NewGuid():N}"[..22];
        string[] namespaces = [name + "-client", name + "-nat", name + "-server"];
        LabRegistry.Default.RemoveOrphaned();
        LabRegistry.Default.Claim(name, namespaces);
        var created = new List<string>();
        try
        {
            foreach (string ns in namespaces)
            {
                NamedNetworkNamespace.Create(ns);
                created.Add(ns);
            }

            BuildTopology(name, clients, cpuCount, mode);
            var server = new LabServer(name + "-server", LabAddressPlan.Server, LabAddressPlan.ServerPort);
            var lab = new SnatRaceLab(name, clients, cpuCount, mode, server);
            lock (Open)
            {
                Open.Add(lab);
            }

            return lab;
        }
        catch
        {
            foreach (string ns in created)
            {
                NamedNetworkNamespace.Delete(ns);
            }

            LabRegistry.Default.Release(name);
            throw;
        }
    }

    private static void BuildTopology(string name, int clients, int cpus, LabMasqueradeMode mode)
    {
        string clientNs = name + "-client", natNs = name + "-nat", serverNs = name + "-server";
        using (var nat = new RouteNetlink(natNs))
        {
            nat.AddVethPair(ClientSide, PeerName, clientNs, cpus);
            nat.AddVethPair(OutsideSide, PeerName, serverNs, cpus);
            nat.SetLinkUp("lo");
            nat.SetLinkUp(ClientSide);
            nat.SetLinkUp(OutsideSide);
            nat.AddAddress(ClientSide, LabAddressPlan.ClientGateway, LabAddressPlan.ClientPrefixLength);
            nat.AddAddress(OutsideSide, LabAddressPlan.NatOutside, LabAddressPlan.OutsidePrefixLength);
        }

        using (var client = new RouteNetlink(clientNs))
        {
            client.SetLinkUp("lo");
            client.SetLinkUp(PeerName);
            for (int i = 0; i < clients; i++)
            {
                client.AddAddress(PeerName, LabAddressPlan.Client(i), LabAddressPlan.ClientPrefixLength);
            }

            client.AddDefaultRoute(PeerName, LabAddressPlan.ClientGateway);
        }

        using (var server = new RouteNetlink(serverNs))
        {
            server.SetLinkUp("lo");
            server.SetLinkUp(PeerName);
            server.AddAddress(PeerName, LabAddressPlan.Server, LabAddressPlan.OutsidePrefixLength);
        }

        // /proc/sys/net shows the netns of the thread that opens it, hence the namespace thread.
        NetworkNamespace.Run(natNs, () =>
        {
            File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1");
            return 0;
        });

        using var socket = NetlinkSocket.Open(NetlinkSocket.NetlinkNetfilter, natNs);
        var batch = new NftBatch(socket);
        LabMasqueradeRule.AddTableChainAndRule(batch, ClientSide, LabAddressPlan.ClientPrefixBytes, mode);
        batch.Commit("create the lab's MASQUERADE rule");
    }

    /// <summary>
    /// Runs <paramref name="bursts"/> bursts of <paramref name="connectionsPerBurst"/> simultaneous
    /// connects, <paramref name="idle"/> apart, and reads the NAT host's conntrack counters before
    /// and after. With <paramref name="sharedSourcePort"/> every connection of a burst uses the
    /// same source port from a different client address (pods reusing port numbers); otherwise
    /// each connection has its own port. <paramref name="sources"/> (default: one per connection)
    /// lets several connections come from one client address.
    /// </summary>
    public LabBurstResult RunBursts(
        int connectionsPerBurst,
        int bursts,
        TimeSpan idle,
        bool sharedSourcePort = true,
        Action<int>? burstDone = null,
        CancellationToken cancellation = default,
        int? sources = null)
    {
        ThrowIfRemoved();
        int sourceCount = sources ?? connectionsPerBurst;
        if (connectionsPerBurst < 1 || bursts < 1 || sourceCount < 1 || sourceCount > connectionsPerBurst)
        {
            throw new SnatToolsException(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument,
                "connections per burst and bursts must be at least 1, and sources between 1 and the connections per burst.");
        }

        if (idle < TimeSpan.Zero || idle > MaxIdle)
        {
            throw new SnatToolsException(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument,
                $"the pause between bursts must be between 0 and {MaxIdle.TotalSeconds} s; got {idle}.", idle);
        }

        if (sourceCount > Clients)
        {
            throw new SnatToolsException(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument,
                $"a burst from {sourceCount} sources needs {sourceCount} client addresses; this lab has {Clients}.");
        }

        // Connection i comes from source i mod S. Shared: every source's k-th connection uses the
        // burst's port + k (the model's SharedSourcePort); otherwise every connection has its own port.
        int perSource = (connectionsPerBurst + sourceCount - 1) / sourceCount;
        int portsPerBurst = sharedSourcePort ? perSource : connectionsPerBurst;
        int firstPort = TakePorts(portsPerBurst * bursts);

        // One unmeasured burst first, every connection with a port of its own (so it cannot race),
        // on the same pinned threads as the measured ones: neighbour entries, page faults and
        // first-call costs are settled before the first measured burst instead of skewing it.
        // The counters are read right after it, while the runner waits out the pause.
        int warmUpPort = TakePorts(WarmUpBursts * connectionsPerBurst);
        int SourcePort(int burst, int connection) => burst < WarmUpBursts
            ? WrapPort(warmUpPort + (burst * connectionsPerBurst) + connection)
            : WrapPort(firstPort + ((burst - WarmUpBursts) * portsPerBurst) + (sharedSourcePort ? connection / sourceCount : connection));

        using var statistics = ConntrackStatisticsReader.Open(NatNamespace);
        ConntrackSample? before = null;
        void BurstDone(int burst)
        {
            if (burst == WarmUpBursts - 1)
            {
                before = statistics.Read();
            }
            else if (burst >= WarmUpBursts)
            {
                burstDone?.Invoke(burst - WarmUpBursts);
            }
        }

        var (allLatencies, allAligned) = new LabBurstRunner(NetworkNamespace.ResolvePath(ClientNamespace)!, Cpus)
            .Run(WarmUpBursts + bursts, connectionsPerBurst, sourceCount, idle, SourcePort, BurstDone, cancellation);
        var after = statistics.Read();
        var growth = ConntrackStatistics.FromInterval(before!, after, perCpu: false, NatNamespace)[0];
        var latencies = allLatencies.AsSpan(WarmUpBursts * connectionsPerBurst);
        var aligned = allAligned.AsSpan(WarmUpBursts);

        int stalled = 0, failed = 0, burstsWithStall = 0, alignedBursts = 0, alignedBurstsWithStall = 0;
        for (int burst = 0; burst < bursts; burst++)
        {
            alignedBursts += aligned[burst] ? 1 : 0;
            bool any = false;
            for (int i = 0; i < connectionsPerBurst; i++)
            {
                double latency = latencies[(burst * connectionsPerBurst) + i];
                if (double.IsNaN(latency))
                {
                    failed++;
                    any = true;
                }
                else if (latency > LabBurstResult.StallThresholdMilliseconds)
                {
                    stalled++;
                    any = true;
                }
            }

            burstsWithStall += any ? 1 : 0;
            alignedBurstsWithStall += any && aligned[burst] ? 1 : 0;
        }

        return new LabBurstResult(
            Mode,
            bursts,
            connectionsPerBurst,
            idle,
            latencies.ToArray().Where(l => !double.IsNaN(l)).ToArray(),
            stalled,
            failed,
            burstsWithStall,
            growth.InsertFailed,
            growth.Drop,
            growth.ClashResolve,
            alignedBursts,
            alignedBurstsWithStall);
    }

    private void ThrowIfRemoved()
    {
        if (_disposed)
        {
            throw new SnatToolsException(ErrorIds.LabUnavailable, ErrorKind.InvalidOperation,
                $"The lab {Name} was removed; create a new one with New-SnatRaceLab.", Name);
        }
    }

    private int TakePorts(int count)
    {
        // Two runs on one lab at once (two runspaces) must not share ports.
        lock (_portsGate)
        {
            int first = _nextSourcePort;
            _nextSourcePort = WrapPort(_nextSourcePort + count);
            return first;
        }
    }

    private static int WrapPort(int port) =>
        FirstSourcePort + ((port - FirstSourcePort) % (LastSourcePort - FirstSourcePort + 1));

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (Open)
        {
            Open.Remove(this);
        }

        _server.Dispose();
        NamedNetworkNamespace.Delete(ClientNamespace);
        NamedNetworkNamespace.Delete(NatNamespace);
        NamedNetworkNamespace.Delete(ServerNamespace);
        LabRegistry.Default.Release(Name);
    }
}
