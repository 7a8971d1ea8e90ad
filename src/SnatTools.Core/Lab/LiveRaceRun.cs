using SnatTools.Core.Race;

namespace SnatTools.Core.Lab;

/// <summary>
/// Plays a <see cref="SnatRaceScenario"/> on the real kernel: in a lab of its own (created and
/// removed here) or in one the caller keeps, and reports what happened as the observation the
/// model's result is put beside.
/// </summary>
public static class LiveRaceRun
{
    public static LabMasqueradeMode ModeFor(SnatAlgorithm algorithm) => algorithm switch
    {
        SnatAlgorithm.Random => LabMasqueradeMode.Random,
        SnatAlgorithm.RandomFully => LabMasqueradeMode.RandomFully,
        _ => LabMasqueradeMode.Plain,
    };

    public static SnatAlgorithm AlgorithmFor(LabMasqueradeMode mode) => mode switch
    {
        LabMasqueradeMode.Random => SnatAlgorithm.Random,
        LabMasqueradeMode.RandomFully => SnatAlgorithm.RandomFully,
        _ => SnatAlgorithm.KeepOriginal,
    };

    /// <summary>
    /// The scenario as the lab plays it, for the model to run beside the lab: the NAT path idles
    /// through the lab's start margin as well as through the pause between bursts.
    /// </summary>
    public static SnatRaceScenario AsPlayed(SnatRaceScenario scenario) => scenario with
    {
        Timing = scenario.Timing with { IdleBeforeBurst = scenario.Timing.IdleBeforeBurst + SnatRaceLabModel.LabStartMargin },
    };

    /// <summary>Refuses what the lab cannot play, before anything is created.</summary>
    public static void Validate(SnatRaceScenario scenario)
    {
        scenario.Validate();
        string? refusal = scenario switch
        {
            { Kernel: var kernel } when kernel != SnatRaceHostDefaults.Kernel =>
                $"the lab runs this host's kernel ({SnatRaceHostDefaults.Kernel}); -Kernel {kernel} can only be modelled",
            { ExistingConnections: > 0 } => "the lab starts with an empty conntrack table; -ExistingConnections can only be modelled",
            { NatPortRange: not null } => "the lab's MASQUERADE has no --to-ports; -PortRange can only be modelled",
            { Sources: > LabAddressPlan.MaxClients } => $"the lab has room for {LabAddressPlan.MaxClients} client addresses",
            { Timing.IdleBeforeBurst: var idle } when idle > SnatRaceLab.MaxIdle =>
                $"the lab pauses at most {SnatRaceLab.MaxIdle.TotalSeconds} s between bursts; got {idle}",
            _ => null,
        };

        if (refusal is not null)
        {
            throw new SnatToolsException(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument, $"-Live: {refusal}.", scenario);
        }
    }

    /// <summary>
    /// Fires <paramref name="bursts"/> bursts of the scenario, <see cref="RaceTiming.IdleBeforeBurst"/>
    /// apart. Without <paramref name="lab"/> a lab with the scenario's algorithm is created for the
    /// run and always removed; with one, its rule is used as it is now.
    /// </summary>
    public static SnatRaceObservation Observe(
        SnatRaceScenario scenario,
        int bursts,
        SnatRaceLab? lab,
        Action<int>? burstDone,
        CancellationToken cancellation)
    {
        Validate(scenario);
        var own = lab is null ? SnatRaceLab.Create(ModeFor(scenario.Algorithm), scenario.Sources, scenario.Cpus) : null;
        try
        {
            var result = (lab ?? own!).RunBursts(
                scenario.Connections,
                bursts,
                scenario.Timing.IdleBeforeBurst,
                scenario.SharedSourcePort,
                burstDone,
                cancellation,
                scenario.Sources);
            return new SnatRaceObservation(
                result.Bursts,
                result.Connections + result.Failed,
                result.Stalled,
                result.BurstsWithStall,
                (long)result.InsertFailed,
                result.Failed,
                TimeSpan.FromMilliseconds(result.P99Milliseconds))
            {
                AlignedBursts = result.AlignedBursts,
                AlignedBurstsWithStall = result.AlignedBurstsWithStall,
            };
        }
        finally
        {
            own?.Dispose();
        }
    }
}
