namespace SnatTools.Core.Race;

/// <summary>
/// What a live run of bursts saw, to put beside the model's prediction for the same
/// <see cref="SnatRaceScenario"/>: the lab (or any other measurement) fills it in.
/// </summary>
/// <param name="Bursts">Bursts fired (the model's trials).</param>
/// <param name="Connections">Connections attempted over all bursts.</param>
/// <param name="StalledConnections">Connections that waited for at least one SYN retransmission.</param>
/// <param name="BurstsWithStall">Bursts in which at least one connection stalled.</param>
/// <param name="InsertFailed">Growth of the NAT host's conntrack insert_failed over the run.</param>
/// <param name="FailedConnections">Connections that never connected.</param>
/// <param name="P99ConnectLatency">99th percentile of the measured connect latencies.</param>
public sealed record SnatRaceObservation(
    int Bursts,
    int Connections,
    int StalledConnections,
    int BurstsWithStall,
    long InsertFailed,
    int FailedConnections,
    TimeSpan P99ConnectLatency)
{
    /// <summary>
    /// Bursts whose CPUs sent their first SYNs together (the lab measures it; null when unknown).
    /// Only those can show the race, so far fewer than <see cref="Bursts"/> means a busy machine
    /// and an observed share that understates the race.
    /// </summary>
    public int? AlignedBursts { get; init; }

    /// <summary>Aligned bursts in which at least one connection stalled (null when alignment is unknown).</summary>
    public int? AlignedBurstsWithStall { get; init; }

    /// <summary>
    /// Share of the aligned bursts with a stall: what the model predicts, since it assumes every
    /// CPU's first SYN reaches NAT within its arrival spread. Null when unknown or no burst aligned.
    /// </summary>
    public double? AlignedProbabilityAnyDrop => AlignedBursts is int aligned and > 0 && AlignedBurstsWithStall is { } stalled
        ? (double)stalled / aligned
        : null;

    /// <summary>95 % interval of <see cref="AlignedProbabilityAnyDrop"/> (Wilson); null when that is null.</summary>
    public ProbabilityInterval? AlignedProbabilityAnyDropInterval => AlignedBursts is int aligned and > 0 && AlignedBurstsWithStall is { } stalled
        ? ProbabilityInterval.Wilson(stalled, aligned)
        : null;

    /// <summary>Share of bursts with a stall: the observed counterpart of the model's ProbabilityAnyDrop.</summary>
    public double ProbabilityAnyDrop => Bursts == 0 ? 0 : (double)BurstsWithStall / Bursts;

    /// <summary>95 % interval of <see cref="ProbabilityAnyDrop"/> (Wilson); null without bursts.</summary>
    public ProbabilityInterval? ProbabilityAnyDropInterval => Bursts == 0 ? null : ProbabilityInterval.Wilson(BurstsWithStall, Bursts);
}
