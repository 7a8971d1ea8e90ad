using System.Runtime.CompilerServices;
using SnatTools.Core.Nat;

namespace SnatTools.Core.Race;

/// <summary>
/// Plays one burst of a <see cref="SnatRaceScenario"/> through the NAT, SYN by SYN: port choice,
/// confirm, drop, retransmission. One instance per thread; every buffer is allocated here, so
/// <see cref="Run"/> never allocates.
/// </summary>
/// <remarks>
/// A burst runs in waves: wave 0 is every connection's first SYN, wave k the k-th retransmission
/// of those that lost k times (the client's SYN timeout doubles: they arrive 1, 3, 7 s after the
/// burst, together, so they can race each other again). In a wave the SYNs are dealt to CPUs
/// round-robin by connection number (RSS or pinned threads: a retransmission lands on the CPU of
/// its first SYN) and each CPU handles its own one after the other. The k-th SYNs of all CPUs form
/// round k: they reach NAT at uniform times within the arrival spread and are unconfirmed for
/// the race window, the cold one for round 0 after idle (and for retransmissions, a second after
/// the burst), the warm one otherwise. Events run in time order: a port choice sees exactly the
/// entries confirmed before it; a confirm whose reply tuple is already confirmed fails: the SYN is
/// dropped (insert_failed and drop +1, __nf_conntrack_confirm / nf_ct_resolve_clash: TCP does not
/// allow clashes). Earlier rounds are confirmed before later ones start.
/// </remarks>
internal sealed class BurstSimulation<TAllocator> : IBurstSimulation
    where TAllocator : struct, IPortAllocator
{
    private readonly PortTable _table = new();
    private readonly int _connections;
    private readonly int _cpus;
    private readonly int _sources;
    private readonly PortRange? _ruleRange;
    private readonly int _clientMin;
    private readonly int _clientSize;
    private readonly bool _sharedSourcePort;
    private readonly int? _sourcePort;
    private readonly int _synRetries;
    private readonly double _spreadTicks;
    private readonly StratumWindows[] _strata;

    private readonly int[] _sourceOf;
    private readonly int[] _indexInSource;
    private readonly int[] _identity;
    private readonly int[] _originalPort;
    private readonly int[] _natPort;
    private readonly int[] _losses;
    private readonly int[] _sourceStart;
    private readonly int[] _pending;
    private readonly int[] _next;
    private readonly int[] _ordered;
    private readonly int[] _round;
    private readonly int[] _roundStart;
    private readonly int[] _perCpu;
    private readonly int[] _members;
    private readonly double[] _arrival;
    private readonly int[] _lost;
    private StratumWindows _windows;

    private TAllocator _allocator;
    private Pcg32 _random;
    private int _lostCount;

    /// <param name="windowFactor">Multiplies every race window (for a fixed-window scenario): the fit's probe of other windows.</param>
    public BurstSimulation(SnatRaceScenario scenario, double windowFactor = 1)
    {
        scenario.Validate();
        _connections = scenario.Connections;
        _cpus = scenario.Cpus;
        _sources = scenario.Sources;
        _ruleRange = scenario.NatPortRange;
        _clientMin = scenario.ClientPortRange.Min;
        _clientSize = scenario.ClientPortRange.Size;
        _sharedSourcePort = scenario.SharedSourcePort;
        _sourcePort = scenario.SourcePort;
        _synRetries = scenario.SynRetries;
        _spreadTicks = scenario.Timing.ArrivalSpread.Ticks;
        _strata = new StratumWindows[scenario.Timing.WindowSigma == 0 ? 1 : WindowStrata.Count];
        for (int stratum = 0; stratum < _strata.Length; stratum++)
        {
            double factor = windowFactor * WindowStrata.Factor(scenario.Timing.WindowSigma, stratum);
            _strata[stratum] = new StratumWindows(
                scenario.Timing.ColdRaceWindow.Ticks * factor,
                scenario.Timing.WarmRaceWindow.Ticks * factor,
                scenario.Timing.FirstRoundWindowTicks * factor,
                _spreadTicks);
        }

        _windows = _strata[0];

        _sourceOf = new int[_connections];
        _indexInSource = new int[_connections];
        _identity = new int[_connections];
        for (int i = 0; i < _connections; i++)
        {
            _sourceOf[i] = i % _sources;
            _indexInSource[i] = i / _sources;
            _identity[i] = i;
        }

        _lost = new int[_connections];
        _originalPort = new int[_connections];
        _natPort = new int[_connections];
        _losses = new int[_connections];
        _sourceStart = new int[_sources];
        _pending = new int[_connections];
        _next = new int[_connections];
        _ordered = new int[_connections];
        _round = new int[_connections];
        _roundStart = new int[_connections + 2];
        _perCpu = new int[_cpus];
        _members = new int[_cpus];
        _arrival = new double[_cpus];

        _allocator = default;
        _allocator.Prepare(scenario, _table);
    }

    /// <summary>Original source port of each connection in the last burst.</summary>
    public ReadOnlySpan<int> OriginalPorts => _originalPort;

    /// <summary>NAT port each connection's last SYN was given (the confirmed one unless the connection failed).</summary>
    public ReadOnlySpan<int> NatPorts => _natPort;

    /// <summary>SYNs each connection lost in the last burst; SynRetries + 1 means it never connected.</summary>
    public ReadOnlySpan<int> Losses => _losses;

    /// <summary>Window strata this simulation plays: 1 for a fixed window, else <see cref="WindowStrata.Count"/>.</summary>
    public int Strata => _strata.Length;

    /// <summary>Sets the random stream the next bursts draw from.</summary>
    public void Reseed(Pcg32 random) => _random = random;

    /// <summary>Plays the next bursts with the race windows of <paramref name="stratum"/> (<see cref="WindowStrata"/>).</summary>
    public void UseStratum(int stratum) => _windows = _strata[stratum];

    /// <summary>Plays one burst; true when at least one SYN was dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Run()
    {
        _table.BeginBurst();
        DrawOriginalPorts();
        _allocator.BeginBurst(_table, ref _random);

        for (int k = 0; k < _lostCount; k++)
        {
            _losses[_lost[k]] = 0;
        }

        // Every connection that ever loses, loses its first SYN (tcp_syn_retries is at least 1).
        _lostCount = 0;
        int pending = RunWave(0, _identity, _connections);
        bool anyDrop = pending > 0;
        for (int wave = 1; pending > 0; wave++)
        {
            _next.AsSpan(0, pending).CopyTo(_pending);
            pending = RunWave(wave, _pending, pending);
        }

        return anyDrop;
    }

    /// <summary>Adds the last burst to a histogram of losses per connection (index SynRetries + 1: never connected).</summary>
    public void CountLosses(Span<long> histogram)
    {
        histogram[0] += _connections - _lostCount;
        for (int k = 0; k < _lostCount; k++)
        {
            int connection = _lost[k];
            histogram[_losses[connection]]++;
        }
    }

    private void DrawOriginalPorts()
    {
        if (_sharedSourcePort)
        {
            // Source s's j-th connection (connection j * Sources + s) uses the shared port + j.
            if (_sourcePort is { } fixedPort)
            {
                for (int i = 0; i < _connections; i++)
                {
                    _originalPort[i] = fixedPort + _indexInSource[i];
                }

                return;
            }

            int first = (int)_random.NextBelow((uint)_clientSize);
            for (int i = 0; i < _connections; i++)
            {
                _originalPort[i] = _clientMin + Wrap(first + _indexInSource[i]);
            }

            return;
        }

        // Each source starts at its own random port and counts up: distinct ports within a source
        // (its kernel will not reuse a port to the same destination), independent across sources.
        if (_sources == _connections)
        {
            for (int i = 0; i < _connections; i++)
            {
                _originalPort[i] = _clientMin + (int)_random.NextBelow((uint)_clientSize);
            }

            return;
        }

        for (int s = 0; s < _sources; s++)
        {
            _sourceStart[s] = (int)_random.NextBelow((uint)_clientSize);
        }

        for (int i = 0; i < _connections; i++)
        {
            _originalPort[i] = _clientMin + Wrap(_sourceStart[_sourceOf[i]] + _indexInSource[i]);
        }
    }

    // Validate() keeps a source's connections within the client range, so one subtraction wraps.
    private int Wrap(int offset) => offset >= _clientSize ? offset - _clientSize : offset;

    /// <summary>Runs one wave of SYNs; leaves the losers that will retransmit in <see cref="_next"/> and returns their number.</summary>
    private int RunWave(int wave, int[] connections, int count)
    {
        int[] ordered = AssignRounds(wave, connections, count, out int rounds);
        int losers = 0;
        for (int round = 0; round < rounds; round++)
        {
            int start = _roundStart[round];
            int members = _roundStart[round + 1] - start;
            // A retransmission wave comes a second or more later: its first SYNs find the path cold.
            bool first = round == 0;
            switch (members)
            {
                case 1:
                    Choose(ordered[start]);
                    Confirm(ordered[start], ref losers);
                    break;
                case 2:
                    RunPair(ordered[start], ordered[start + 1], !first ? _windows.WarmPairRace : wave > 0 ? _windows.ColdPairRace : _windows.FirstPairRace, ref losers);
                    break;
                default:
                    RunRound(ordered, start, members, !first ? _windows.WarmTicks : wave > 0 ? _windows.ColdTicks : _windows.FirstTicks, ref losers);
                    break;
            }
        }

        return losers;
    }

    /// <summary>
    /// Two SYNs (the usual round on two CPUs). Equivalent to <see cref="RunRound"/> with two
    /// uniform arrivals, drawn more cheaply: which comes first is a fair coin, and they race with
    /// the closed-form pair probability 1 - (1 - w/spread)^2.
    /// </summary>
    private void RunPair(int a, int b, uint raceThreshold, ref int losers)
    {
        uint draw = _random.NextUInt32();

        // Branch-free swap on the coin: a mispredicted branch per pair costs more than the rest.
        int swap = (a ^ b) & -(int)(draw & 1);
        int first = a ^ swap;
        int second = b ^ swap;
        Choose(first);
        if ((draw >> 1) < raceThreshold)
        {
            // The second chooses before the first's entry is confirmed.
            Choose(second);
            Confirm(first, ref losers);
        }
        else
        {
            Confirm(first, ref losers);
            Choose(second);
        }

        Confirm(second, ref losers);
    }

    /// <summary>Three or more SYNs of one round: arrivals drawn and events played in time order.</summary>
    private void RunRound(int[] ordered, int start, int members, double window, ref int losers)
    {
        for (int k = 0; k < members; k++)
        {
            double at = _random.NextDouble() * _spreadTicks;
            int connection = ordered[start + k];

            // Insertion sort by arrival: a round holds at most one SYN per CPU.
            int slot = k;
            while (slot > 0 && _arrival[slot - 1] > at)
            {
                _arrival[slot] = _arrival[slot - 1];
                _members[slot] = _members[slot - 1];
                slot--;
            }

            _arrival[slot] = at;
            _members[slot] = connection;
        }

        // One window per round, so confirms come in arrival order too; a confirm at the very
        // instant of a port choice is seen by it.
        int confirmed = 0;
        for (int k = 0; k < members; k++)
        {
            while (confirmed < k && _arrival[confirmed] + window <= _arrival[k])
            {
                Confirm(_members[confirmed++], ref losers);
            }

            Choose(_members[k]);
        }

        while (confirmed < members)
        {
            Confirm(_members[confirmed++], ref losers);
        }
    }

    /// <summary>Orders the wave's SYNs by round (the k-th SYN of each CPU); returns them in that order.</summary>
    private int[] AssignRounds(int wave, int[] connections, int count, out int rounds)
    {
        if (wave == 0)
        {
            // Connections 0..N-1 in order: round r is connections rC .. rC+C-1.
            rounds = (count + _cpus - 1) / _cpus;
            for (int r = 0; r <= rounds; r++)
            {
                _roundStart[r] = Math.Min(r * _cpus, count);
            }

            return connections;
        }

        Array.Clear(_perCpu);
        rounds = 0;
        for (int k = 0; k < count; k++)
        {
            int round = _perCpu[connections[k] % _cpus]++;
            _round[k] = round;
            rounds = Math.Max(rounds, round + 1);
        }

        Array.Clear(_roundStart, 0, rounds + 1);
        for (int k = 0; k < count; k++)
        {
            _roundStart[_round[k] + 1]++;
        }

        for (int r = 0; r < rounds; r++)
        {
            _roundStart[r + 1] += _roundStart[r];
        }

        // Stable placement: each round's start moves along as it fills, then is moved back.
        for (int k = 0; k < count; k++)
        {
            _ordered[_roundStart[_round[k]]++] = connections[k];
        }

        for (int r = rounds; r > 0; r--)
        {
            _roundStart[r] = _roundStart[r - 1];
        }

        _roundStart[0] = 0;
        return _ordered;
    }

    /// <summary>nf_nat_setup_info → get_unique_tuple for one SYN: the NAT port it will try to confirm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Choose(int connection)
    {
        int original = _originalPort[connection];
        var range = _ruleRange ?? PortRange.KernelNatDefault(original);
        _natPort[connection] = _allocator.Choose(_table, ref _random, original, range.Min, range.Size);
    }

    /// <summary>__nf_conntrack_confirm: insert, or drop the SYN when its reply tuple is already confirmed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Confirm(int connection, ref int losers)
    {
        if (_table.TryConfirm(_natPort[connection], ref _random))
        {
            return;
        }

        // insert_failed: the client retransmits unless it has used up tcp_syn_retries.
        int losses = ++_losses[connection];
        if (losses == 1)
        {
            _lost[_lostCount++] = connection;
        }

        if (losses <= _synRetries)
        {
            _next[losers++] = connection;
        }
    }

    /// <summary>One stratum's race windows (ticks) and the pair-race thresholds they give.</summary>
    private readonly struct StratumWindows
    {
        public StratumWindows(double coldTicks, double warmTicks, double firstTicks, double spreadTicks)
        {
            ColdTicks = coldTicks;
            WarmTicks = warmTicks;
            FirstTicks = firstTicks;
            ColdPairRace = Threshold(SnatRaceClosedForm.FirstPairRaceProbability(coldTicks, spreadTicks, 2));
            WarmPairRace = Threshold(SnatRaceClosedForm.FirstPairRaceProbability(warmTicks, spreadTicks, 2));
            FirstPairRace = Threshold(SnatRaceClosedForm.FirstPairRaceProbability(firstTicks, spreadTicks, 2));
        }

        public double ColdTicks { get; }

        public double WarmTicks { get; }

        public double FirstTicks { get; }

        public uint ColdPairRace { get; }

        public uint WarmPairRace { get; }

        public uint FirstPairRace { get; }

        // 31-bit thresholds: RunPair compares them with the upper 31 bits of one draw.
        private static uint Threshold(double probability) => (uint)Math.Min(int.MaxValue + 1.0, Math.Round(probability * (int.MaxValue + 1.0)));
    }
}
