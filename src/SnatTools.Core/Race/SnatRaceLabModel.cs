namespace SnatTools.Core.Race;

/// <summary>
/// Ties the model to the lab: the lab's burst as a scenario, the race window that explains one
/// observed loss rate, and the model run beside an observation.
/// </summary>
/// <remarks>
/// The lab fires bursts of simultaneous connects from clients that share one source port, one
/// pinned thread per CPU. Only the first SYN of each CPU can race for the shared port (the
/// winner's entry is confirmed before the next SYNs choose), so a burst loses at most Cpus - 1
/// connections and loses one with P = 1 - (1 - w/spread)^Cpus. <see cref="FitRaceWindow"/> solves
/// that for one share; the windows vary from run to run far more than one share can tell, so the
/// defaults are fitted to many runs at once (<see cref="RaceWindowFitter"/>).
/// </remarks>
public static class SnatRaceLabModel
{
    /// <summary>
    /// How long before each burst the lab's client threads spin for their common start. The NAT
    /// path idles through it too, so a lab burst after a pause p finds the path idle p + this.
    /// </summary>
    public static readonly TimeSpan LabStartMargin = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The race window w with 1 - (1 - w/spread)^m = <paramref name="burstLossProbability"/>:
    /// what makes m first SYNs sharing a source port lose a connection that often.
    /// </summary>
    /// <param name="concurrentFirstSyns">SYNs that reach NAT together at the start of a burst: min(connections, CPUs).</param>
    public static TimeSpan FitRaceWindow(double burstLossProbability, int concurrentFirstSyns, TimeSpan arrivalSpread)
    {
        if (burstLossProbability is < 0 or >= 1 || double.IsNaN(burstLossProbability))
        {
            throw new ArgumentOutOfRangeException(nameof(burstLossProbability), burstLossProbability, "A share of bursts in [0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentFirstSyns, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(arrivalSpread, TimeSpan.Zero);
        double fraction = 1 - Math.Pow(1 - burstLossProbability, 1.0 / concurrentFirstSyns);
        return TimeSpan.FromTicks((long)Math.Round(fraction * arrivalSpread.Ticks));
    }

    /// <summary>
    /// The lab's burst: <paramref name="clients"/> client addresses that bind the same source
    /// port, <paramref name="connectionsPerBurst"/> connections each burst (one per client, as
    /// the lab fires them), through a MASQUERADE with <paramref name="algorithm"/>'s flags on
    /// <paramref name="cpus"/> CPUs of this host's kernel, <paramref name="idleBetweenBursts"/>
    /// apart (plus the lab's <see cref="LabStartMargin"/>).
    /// </summary>
    public static SnatRaceScenario LabScenario(
        SnatAlgorithm algorithm,
        int connectionsPerBurst,
        int clients,
        int cpus,
        TimeSpan idleBetweenBursts,
        RaceTiming? timing = null,
        int? sourcePort = null) => new(connectionsPerBurst)
        {
            Algorithm = algorithm,
            Kernel = SnatRaceHostDefaults.Kernel,
            Sources = Math.Min(clients, connectionsPerBurst),
            SharedSourcePort = true,
            SourcePort = sourcePort,
            Cpus = cpus,
            Timing = (timing ?? RaceTiming.Default) with { IdleBeforeBurst = idleBetweenBursts + LabStartMargin },
        };

    /// <summary>Runs the model for <paramref name="scenario"/> and puts <paramref name="observation"/> beside it.</summary>
    public static SnatRaceResult Compare(SnatRaceScenario scenario, SnatRaceObservation observation, long trials = 100_000, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return SnatRaceSimulator.Run(scenario, trials, seed).WithObservation(observation);
    }
}
