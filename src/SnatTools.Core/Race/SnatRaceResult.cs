using SnatTools.Core.Output;

namespace SnatTools.Core.Race;

/// <summary>
/// The model's answer for one <see cref="SnatRaceScenario"/>: how likely a burst loses at least
/// one SYN to the port race, how many it loses, and what that does to connect latency. A live
/// run's figures can be put beside it with <see cref="WithObservation"/>.
/// </summary>
public sealed class SnatRaceResult
{
    /// <summary>The share of runs <see cref="ProbabilityAnyDropRange"/> holds.</summary>
    public const double RangeCoverage = 0.90;

    /// <summary>The run length <see cref="ProbabilityAnyDropRange"/> is for when nobody says otherwise.</summary>
    public const long DefaultRunLength = 100;

    private readonly long[] _lossHistogram;
    private readonly WindowStrataCounts _strata;

    internal SnatRaceResult(SnatRaceScenario scenario, long trials, int seed, WindowStrataCounts strata, long[] lossHistogram, double? closedForm)
        : this(scenario, trials, seed, strata, lossHistogram, closedForm, null, DefaultRunLength, null)
    {
    }

    private SnatRaceResult(
        SnatRaceScenario scenario,
        long trials,
        int seed,
        WindowStrataCounts strata,
        long[] lossHistogram,
        double? closedForm,
        SnatRaceObservation? observation,
        long runLength,
        SnatRaceCalibration? calibration)
    {
        Scenario = scenario;
        Trials = trials;
        Seed = seed;
        _strata = strata;
        BurstsWithDrop = strata.WithDrop;
        _lossHistogram = lossHistogram;
        LossHistogram = new ReadableList<long>(lossHistogram);
        ClosedFormProbabilityAnyDrop = closedForm;
        Observation = observation;
        RunLength = runLength;
        Calibration = calibration;
        ProbabilityAnyDropRange = strata.RunRange(runLength, RangeCoverage);

        long connections = 0;
        double drops = 0;
        double delaySeconds = 0;
        for (int losses = 0; losses < lossHistogram.Length; losses++)
        {
            connections += lossHistogram[losses];
            drops += (double)losses * lossHistogram[losses];
            delaySeconds += AddedDelay(losses).TotalSeconds * lossHistogram[losses];
        }

        ProbabilityAnyDrop = (double)BurstsWithDrop / trials;
        ProbabilityAnyDropInterval = ProbabilityInterval.Wilson(BurstsWithDrop, trials);
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

    /// <summary>Race window of the burst's first SYNs (cold after idle) in the median run, as hh:mm:ss.fffffff text.</summary>
    public string RaceWindow => ReadableText.Duration(Scenario.FirstRoundRaceWindow);

    /// <summary>How much the race window varies from run to run (σ of its logarithm; 0: fixed).</summary>
    public double WindowSigma => Scenario.Timing.WindowSigma;

    /// <summary>
    /// Where the race windows came from: the shipped default or this host's calibration (with its
    /// date and runs); null when -RaceWindow fixed the window.
    /// </summary>
    public SnatRaceCalibration? Calibration { get; }

    /// <summary>Bursts simulated (Monte Carlo).</summary>
    public long Trials { get; }

    /// <summary>Bursts in the run <see cref="ProbabilityAnyDropRange"/> is for (-Trials, or the lab's bursts).</summary>
    public long RunLength { get; }

    /// <summary>
    /// Where the share of bursts that stall falls, with 90 % probability, in one run of
    /// <see cref="RunLength"/> bursts on this host: the race window's spread from run to run
    /// (<see cref="Calibration"/>) and the run's own chance both count. The headline figure.
    /// </summary>
    public ProbabilityInterval ProbabilityAnyDropRange { get; }

    /// <summary>The seed: the same seed and scenario give the same figures.</summary>
    public int Seed { get; }

    /// <summary>Simulated bursts that lost at least one SYN.</summary>
    public long BurstsWithDrop { get; }

    /// <summary>
    /// Chance that a burst loses at least one SYN to the race (at least one connection stalls
    /// ≥ 1 s), over many runs: the average of the runs' chances.
    /// </summary>
    public double ProbabilityAnyDrop { get; }

    /// <summary>
    /// 95 % interval of <see cref="ProbabilityAnyDrop"/> from the Monte Carlo error alone: how
    /// precisely the model was computed, not how much one run varies (that is <see cref="ProbabilityAnyDropRange"/>).
    /// </summary>
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
    /// Whether the share of the lab's bursts that stalled lies inside
    /// <see cref="ProbabilityAnyDropRange"/> for a run of as many bursts; null without an
    /// observation. A range holds 90 % of runs, so about one correct run in ten falls outside.
    /// </summary>
    public bool? AgreesWithObservation => Observation is { Bursts: > 0 } observed
        ? ProbabilityAnyDropRange.Contains(observed.ProbabilityAnyDrop)
        : null;

    /// <summary>Everything the model was asked: connections, sources, ranges, timings.</summary>
    public SnatRaceScenario GetScenario() => Scenario;

    /// <summary>The live run beside the model, or null.</summary>
    public SnatRaceObservation? GetObservation() => Observation;

    /// <summary>
    /// This result with a live run's figures beside it; the range is then for a run as long as
    /// the lab's.
    /// </summary>
    public SnatRaceResult WithObservation(SnatRaceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return new SnatRaceResult(Scenario, Trials, Seed, _strata, _lossHistogram, ClosedFormProbabilityAnyDrop, observation, Math.Max(1, observation.Bursts), Calibration);
    }

    /// <summary>This result with its range for runs of <paramref name="runLength"/> bursts.</summary>
    public SnatRaceResult WithRunLength(long runLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runLength, 1);
        return new SnatRaceResult(Scenario, Trials, Seed, _strata, _lossHistogram, ClosedFormProbabilityAnyDrop, Observation, runLength, Calibration);
    }

    /// <summary>This result labelled with the calibration its race windows came from.</summary>
    public SnatRaceResult WithCalibration(SnatRaceCalibration? calibration) =>
        new(Scenario, Trials, Seed, _strata, _lossHistogram, ClosedFormProbabilityAnyDrop, Observation, RunLength, calibration);

    /// <summary>
    /// Where the share of stalled bursts falls, with probability <paramref name="coverage"/>, in
    /// one run of <paramref name="runLength"/> bursts.
    /// </summary>
    public ProbabilityInterval RangeFor(long runLength, double coverage = RangeCoverage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runLength, 1);
        return _strata.RunRange(runLength, coverage);
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

        return new SnatRaceResult(scenario, Trials, Seed, _strata, _lossHistogram, SnatRaceClosedForm.ProbabilityAnyDrop(scenario), Observation, RunLength, Calibration);
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

    public override string ToString() => $"{Algorithm}: P(any drop) {ProbabilityAnyDrop:0.####%}, {RangeCoverage:0%} of runs of {RunLength} bursts {ProbabilityAnyDropRange}, {ExpectedDrops:0.####} drops per burst of {Connections}";

    /// <summary>
    /// Time a connection waits for SYN retransmissions after <paramref name="losses"/> drops: the
    /// timeout doubles per retry (1 s, then 2 s, 4 s: 1, 3, 7 s in all). A connection that lost
    /// every SYN gives up after the last timeout (127 s with 6 retries).
    /// </summary>
    private TimeSpan AddedDelay(int losses) => Scenario.InitialRto * ((1L << losses) - 1);
}
