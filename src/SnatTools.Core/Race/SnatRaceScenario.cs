using System.Globalization;
using SnatTools.Core.Nat;

namespace SnatTools.Core.Race;

/// <summary>
/// One traffic shape through one NAT: <see cref="Connections"/> new TCP connections in a burst,
/// from <see cref="Sources"/> client addresses, through one NAT address to one destination
/// address and port, on <see cref="Cpus"/> CPUs. The model (<see cref="SnatRaceSimulator"/>) and
/// the live lab both take it, so their figures describe the same thing.
/// </summary>
public sealed record SnatRaceScenario
{
    /// <summary>Most CPUs the model spreads a burst over.</summary>
    public const int MaxCpus = 4096;

    private readonly int _connections;
    private readonly int? _sources;
    private readonly int? _sourcePort;
    private readonly int _existingConnections;
    private readonly int _cpus = 2;
    private readonly int _synRetries = 6;
    private readonly TimeSpan _initialRto = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _baseConnectLatency = TimeSpan.FromMilliseconds(0.1);
    private readonly RaceTiming _timing = RaceTiming.Default;

    public SnatRaceScenario(int connections)
    {
        Connections = connections;
    }

    /// <summary>New connections in one burst (1-65535).</summary>
    public int Connections
    {
        get => _connections;
        init => _connections = InRange(value, 1, 65535, nameof(Connections));
    }

    /// <summary>The NAT rule's port allocation.</summary>
    public SnatAlgorithm Algorithm { get; init; }

    /// <summary>Which kernel allocator to follow.</summary>
    public SnatKernel Kernel { get; init; }

    /// <summary>Client addresses (pods, containers, hosts) the connections come from; connection i comes from source i mod Sources. Default: one per connection.</summary>
    public int Sources
    {
        get => _sources ?? _connections;
        init => _sources = InRange(value, 1, 65535, nameof(Sources));
    }

    /// <summary>
    /// The sources use the same original source ports: every source's first connection uses one
    /// port, every second connection the next, and so on (identical containers doing the same
    /// thing, clients that bind a fixed port). Otherwise each source starts at its own random
    /// port of <see cref="ClientPortRange"/> and uses consecutive ports from there.
    /// </summary>
    public bool SharedSourcePort { get; init; }

    /// <summary>With <see cref="SharedSourcePort"/>: the shared port; null draws it from <see cref="ClientPortRange"/> for each burst.</summary>
    public int? SourcePort
    {
        get => _sourcePort;
        init => _sourcePort = value is null ? null : InRange(value.Value, 1, 65535, nameof(SourcePort));
    }

    /// <summary>The rule's <c>--to-ports</c> (NF_NAT_RANGE_PROTO_SPECIFIED); null: the kernel's default range by original port.</summary>
    public PortRange? NatPortRange { get; init; }

    /// <summary>Where the clients' original source ports come from: their net.ipv4.ip_local_port_range.</summary>
    public PortRange ClientPortRange { get; init; } = PortRange.LinuxEphemeralDefault;

    /// <summary>Connections already in the conntrack table from the NAT address to the same destination.</summary>
    public int ExistingConnections
    {
        get => _existingConnections;
        init => _existingConnections = InRange(value, 0, 65535, nameof(ExistingConnections));
    }

    /// <summary>CPUs that handle the burst's SYNs on the NAT host.</summary>
    public int Cpus
    {
        get => _cpus;
        init => _cpus = InRange(value, 1, MaxCpus, nameof(Cpus));
    }

    /// <summary>Arrival spread and race windows.</summary>
    public RaceTiming Timing
    {
        get => _timing;
        init => _timing = value ?? throw new ArgumentNullException(nameof(Timing));
    }

    /// <summary>The client's first SYN retransmission timeout: TCP_TIMEOUT_INIT, 1 s (include/net/tcp.h); it doubles per retry.</summary>
    public TimeSpan InitialRto
    {
        get => _initialRto;
        init => _initialRto = value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(2)
            ? value
            : throw Invalid($"InitialRto must be more than 0 and at most 2 minutes; got {value}.", value);
    }

    /// <summary>SYN retransmissions before connect() fails: net.ipv4.tcp_syn_retries, default 6 (TCP_SYN_RETRIES, include/net/tcp.h).</summary>
    public int SynRetries
    {
        get => _synRetries;
        init => _synRetries = InRange(value, 1, 10, nameof(SynRetries));
    }

    /// <summary>Connect time of a connection that loses nothing (the lab: 0.02-0.2 ms); added to every latency.</summary>
    public TimeSpan BaseConnectLatency
    {
        get => _baseConnectLatency;
        init => _baseConnectLatency = value >= TimeSpan.Zero && value <= TimeSpan.FromMinutes(1)
            ? value
            : throw Invalid($"BaseConnectLatency must be between 0 and 1 minute; got {value}.", value);
    }

    /// <summary>Connections each source opens (the first sources open one more when they do not divide evenly).</summary>
    public int ConnectionsPerSource => (Connections + Sources - 1) / Sources;

    /// <summary>The race window the burst's first SYNs take: between warm and cold, by the idle time before the burst.</summary>
    public TimeSpan FirstRoundRaceWindow => Timing.FirstRoundRaceWindow;

    /// <summary>
    /// The NAT port range a connection from <paramref name="originalPort"/> can be given, as
    /// nf_nat_l4proto_unique_tuple computes it: the rule's --to-ports, else by the original
    /// port: below 512 → 1-511, 512-1023 → 600-1023, else 1024-65535.
    /// </summary>
    public PortRange NatRangeFor(int originalPort) => NatPortRange ?? PortRange.KernelNatDefault(originalPort);

    /// <summary>Checks what single properties cannot: how they fit together.</summary>
    /// <exception cref="SnatToolsException">InvalidArgument, saying which values clash.</exception>
    public void Validate()
    {
        if (Sources > Connections)
        {
            throw Invalid($"Sources ({Sources}) cannot exceed Connections ({Connections}): each source opens at least one connection.", Sources);
        }

        if (ConnectionsPerSource > ClientPortRange.Size)
        {
            throw Invalid(
                $"{ConnectionsPerSource} connections per source do not fit into the client port range {ClientPortRange} ({ClientPortRange.Size} ports): add sources.",
                ClientPortRange);
        }

        if (SourcePort is { } port && !SharedSourcePort)
        {
            throw Invalid("SourcePort only applies with SharedSourcePort.", port);
        }

        if (SourcePort is { } first && first + ConnectionsPerSource - 1 > 65535)
        {
            throw Invalid($"SourcePort {first} leaves no room for {ConnectionsPerSource} consecutive ports per source.", first);
        }

        int smallestNatRange = Math.Min(NatRangeFor(ClientPortRange.Min).Size, NatRangeFor(ClientPortRange.Max).Size);
        if (SourcePort is { } shared)
        {
            smallestNatRange = Math.Min(smallestNatRange, NatRangeFor(shared).Size);
        }

        // More new connections than free ports is allowed: the kernel then drops SYNs, which is
        // what the model should show.
        if (ExistingConnections > smallestNatRange)
        {
            throw Invalid(
                $"{ExistingConnections} existing connections need more ports than the NAT range has ({smallestNatRange}).",
                ExistingConnections);
        }
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Connections} connections from {Sources} source(s){(SharedSourcePort ? " sharing source ports" : string.Empty)}, {Algorithm} on the {Kernel} kernel, {Cpus} CPU(s), {ExistingConnections} existing");

    private static int InRange(int value, int min, int max, string name) => value >= min && value <= max
        ? value
        : throw Invalid($"{name} must be between {min} and {max}; got {value}.", value);

    private static SnatToolsException Invalid(string message, object? target) =>
        new(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument, message, target);
}
