using SnatTools.Core.Output;

namespace SnatTools.Core.Race;

/// <summary>
/// The model's answer for one <see cref="SnatRaceScenario"/>: how likely a burst loses at least
/// one SYN to the port race, how many it loses, and what that does to connect latency. A live
/// run's figures can be put beside it with <see cref="WithObservation"/>.
/// </summary>
public sealed class SnatRaceResult
{
    private readonly long[] _lossHistogram;

    internal SnatRaceResult(SnatRaceScenario scenario, long trials, int seed, long burstsWithDrop, long[] lossHistogram, double? closedForm, SnatRaceObservation? observation)
    {
        Scenario = scenario;
        Trials = trials;
        Seed = seed;
        BurstsWithDrop = burstsWithDrop;
        _lossHistogram = lossHistogram;
        LossHistogram = new ReadableList<long>(lossHistogram);
        ClosedFormProbabilityAnyDrop = closedForm;
        Observation = observation;

        long connections = 0;
        double drops = 0;
        double delaySeconds = 0;
        for (int losses = 0; losses < lossHistogram.Length; losses++)
        {
            connections += lossHistogram[losses];
            drops += (double)losses * lossHistogram[losses];
            delaySeconds += AddedDelay(losses).TotalSeconds * lossHistogram[losses];
        }

        ProbabilityAnyDrop = (double)burstsWithDrop / trials;
        ProbabilityAnyDropInterval = ProbabilityInterval.Wilson(burstsWithDrop, trials);
        ExpectedDrops = drops / trials;
        ExpectedStalledConnections = (connections - lossHistogram[0]) / (double)trials;
        ExpectedFailedConnections = lossHistogram[^1] / (double)trials;
        ExpectedDelaySpan = TimeSpan.FromSeconds(delaySeconds / connections);
        P99ConnectLatencySpan = Percentile(0.99);
        int worst = Array.FindLastIndex(lossHistogram, count => count > 0);
        WorstConnectLatencySpan = scenario.BaseConnectLatency + AddedDelay(Math.Max(worst, 0));
    }

    /// <summary>Everything the model was asked (internal: its timings and ranges are typed; <see cref="GetScenario"/> for scripts).</summary>
    internal SnatRaceScenario Scenario { get; }

    public SnatAlgorithm Algorithm => Scenario.Algorithm;

    public SnatKernel Kernel => Scenario.Kernel;

    /// <summary>Connections per burst.</summary>
    public int Connections => Scenario.Connections;

    public int Sources => Scenario.Sources;

    public bool SharedSourcePort => Scenario.SharedSourcePort;

    public int Cpus => Scenario.Cpus;

    public int ExistingConnections => Scenario.ExistingConnections;

    /// <summary>The rule's --to-ports ("1024-65535"); null for the kernel's default range.</summary>
    public string? PortRange => Scenario.NatPortRange?.ToString();

    /// <summary>Race window of the burst's first SYNs (cold after idle), as hh:mm:ss.fffffff text.</summary>
    public string RaceWindow => ReadableText.Duration(Scenario.FirstRoundRaceWindow);

    /// <summary>Bursts simulated.</summary>
    public long Trials { get; }

    /// <summary>The seed: the same seed and scenario give the same figures.</summary>
    public int Seed { get; }

    /// <summary>Simulated bursts that lost at least one SYN.</summary>
    public long BurstsWithDrop { get; }

    /// <summary>Chance that a burst loses at least one SYN to the race: at least one connection stalls ≥ 1 s.</summary>
    public double ProbabilityAnyDrop { get; }

    /// <summary>95 % interval of <see cref="ProbabilityAnyDrop"/> (Monte Carlo error only; the model's own assumptions are not in it).</summary>
    public ProbabilityInterval ProbabilityAnyDropInterval { get; }

    /// <summary>The same chance from a formula (birthday bound, order statistics) where one exists; null otherwise.</summary>
    public double? ClosedFormProbabilityAnyDrop { get; }

    /// <summary>Dropped SYNs (insert_failed) per burst, retransmissions that lose again included.</summary>
    public double ExpectedDrops { get; }

    /// <summary>Connections per burst that wait for at least one SYN retransmission.</summary>
    public double ExpectedStalledConnections { get; }

    /// <summary>Connections per burst whose every SYN was dropped (connect() fails after tcp_syn_retries).</summary>
    public double ExpectedFailedConnections { get; }

    /// <summary>Mean connect time the race adds per connection (retransmission timeouts waited), as hh:mm:ss.fffffff text.</summary>
    public string ExpectedDelay => ReadableText.Duration(ExpectedDelaySpan);

    /// <summary>99th percentile of connect latency over all connections (base latency plus timeouts waited), as text.</summary>
    public string P99ConnectLatency => ReadableText.Duration(P99ConnectLatencySpan);

    /// <summary>The slowest connect any simulated connection saw, as text.</summary>
    public string WorstConnectLatency => ReadableText.Duration(WorstConnectLatencySpan);

    internal TimeSpan ExpectedDelaySpan { get; }

    internal TimeSpan P99ConnectLatencySpan { get; }

    internal TimeSpan WorstConnectLatencySpan { get; }

    /// <summary>Connections that lost their SYN k times, indexed by k; the last entry counts those that never connected.</summary>
    public IReadOnlyList<long> LossHistogram { get; }

    /// <summary>The live run beside the model, or null (internal: see <see cref="GetObservation"/>; the figures are flattened below).</summary>
    internal SnatRaceObservation? Observation { get; }

    public int? ObservedBursts => Observation?.Bursts;

    public int? ObservedConnections => Observation?.Connections;

    public int? ObservedStalled => Observation?.StalledConnections;

    public long? ObservedInsertFailed => Observation?.InsertFailed;

    public double? ObservedProbabilityAnyDrop => Observation?.ProbabilityAnyDrop;

    public ProbabilityInterval? ObservedProbabilityAnyDropInterval => Observation?.ProbabilityAnyDropInterval;

    public string? ObservedP99ConnectLatency => ReadableText.Duration(Observation?.P99ConnectLatency);

    /// <summary>Share of the lab's aligned bursts (all CPUs' first SYNs together) that stalled, or null.</summary>
    public double? ObservedAlignedProbabilityAnyDrop => Observation?.AlignedProbabilityAnyDrop;

    /// <summary>
    /// Whether the model's probability lies inside the observed 95 % interval; null without an
    /// observation. Measured against the aligned bursts when the observation counts them (null
    /// when none aligned): the model assumes the CPUs start together, and a burst whose CPUs did
    /// not can hardly race.
    /// </summary>
    public bool? AgreesWithObservation => Observation switch
    {
        null => null,
        { AlignedBursts: not null } aligned => aligned.AlignedProbabilityAnyDropInterval?.Contains(ProbabilityAnyDrop),
        var all => all.ProbabilityAnyDropInterval?.Contains(ProbabilityAnyDrop),
    };

    /// <summary>Everything the model was asked: connections, sources, ranges, timings.</summary>
    public SnatRaceScenario GetScenario() => Scenario;

    /// <summary>The live run beside the model, or null.</summary>
    public SnatRaceObservation? GetObservation() => Observation;

    /// <summary>This result with a live run's figures beside it.</summary>
    public SnatRaceResult WithObservation(SnatRaceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return new SnatRaceResult(Scenario, Trials, Seed, BurstsWithDrop, _lossHistogram, ClosedFormProbabilityAnyDrop, observation);
    }

    /// <summary>
    /// This result for an <see cref="SnatRaceSimulator.Equivalent"/> scenario (the current
    /// kernel's --random for its --random-fully): the same figures, labelled with that scenario.
    /// </summary>
    /// <exception cref="ArgumentException">The scenarios would not simulate the same.</exception>
    public SnatRaceResult For(SnatRaceScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (!SnatRaceSimulator.Equivalent(Scenario, scenario))
        {
            throw new ArgumentException($"'{scenario}' does not simulate the same as '{Scenario}'.", nameof(scenario));
        }

        return new SnatRaceResult(scenario, Trials, Seed, BurstsWithDrop, _lossHistogram, SnatRaceClosedForm.ProbabilityAnyDrop(scenario), Observation);
    }

    /// <summary>Connect latency at a fraction (nearest rank) of all simulated connections.</summary>
    public TimeSpan Percentile(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        long total = 0;
        foreach (long count in _lossHistogram)
        {
            total += count;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        long seen = 0;
        for (int losses = 0; losses < _lossHistogram.Length; losses++)
        {
            seen += _lossHistogram[losses];
            if (seen >= rank)
            {
                return Scenario.BaseConnectLatency + AddedDelay(losses);
            }
        }

        return Scenario.BaseConnectLatency + AddedDelay(_lossHistogram.Length - 1);
    }

    public override string ToString() => $"{Algorithm}: P(any drop) {ProbabilityAnyDrop:0.####%} {ProbabilityAnyDropInterval}, {ExpectedDrops:0.####} drops per burst of {Connections}";

    /// <summary>
    /// Time a connection waits for SYN retransmissions after <paramref name="losses"/> drops: the
    /// timeout doubles per retry (1 s, then 2 s, 4 s: 1, 3, 7 s in all). A connection that lost
    /// every SYN gives up after the last timeout (127 s with 6 retries).
    /// </summary>
    private TimeSpan AddedDelay(int losses) => Scenario.InitialRto * ((1L << losses) - 1);
}
