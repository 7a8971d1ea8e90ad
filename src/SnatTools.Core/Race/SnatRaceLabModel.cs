namespace SnatTools.Core.Race;

/// <summary>Ties the model to the lab: the lab's burst as a scenario, as the lab plays it.</summary>
/// <remarks>
/// The lab fires bursts of simultaneous connects from clients that share one source port, one
/// pinned thread per CPU. Only the first SYN of each CPU can race for the shared port (the
/// winner's entry is confirmed before the next SYNs choose), so a burst loses at most Cpus - 1
/// connections and loses one with P = 1 - (1 - w/spread)^Cpus. The windows vary from run to run
/// far more than one run's share can tell, so they are fitted to many runs at once
/// (<see cref="RaceWindowFitter"/>).
/// </remarks>
public static class SnatRaceLabModel
{
    /// <summary>
    /// How long before each burst the lab's client threads spin for their common start. The NAT
    /// path idles through it too, so a lab burst after a pause p finds the path idle p + this.
    /// </summary>
    public static readonly TimeSpan LabStartMargin = TimeSpan.FromMilliseconds(10);

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
}
