namespace SnatTools.Core.Race;

/// <summary>
/// One run of lab bursts kept as calibration data: how many bursts lost a connection, on what
/// machine, how loaded. <see cref="RaceWindowFitter"/> fits the race window's spread to many.
/// </summary>
/// <param name="Date">When the run ended (UTC); null where the source did not say.</param>
/// <param name="Machine">A short hash of /etc/machine-id (never the id itself), or a label.</param>
/// <param name="Lab">fresh (a lab made for the run) or reused (one lab for several runs).</param>
/// <param name="BurstsWithStall">Bursts in which at least one connection stalled for a SYN retransmission.</param>
/// <param name="Stalled">Connections that stalled (with 2 CPUs at most one per burst); null where not recorded.</param>
/// <param name="AlignedBursts">Bursts whose CPUs sent their first SYNs together; null where not recorded.</param>
/// <param name="Load">The 1-minute load average when the run started.</param>
/// <param name="Note">Where the figures came from when they were not measured by this code.</param>
public sealed record RaceLabRun(
    DateTimeOffset? Date,
    string Machine,
    string CpuModel,
    int Cpus,
    string Kernel,
    string Lab,
    int IdleMilliseconds,
    int Clients,
    int Bursts,
    int BurstsWithStall,
    int? Stalled = null,
    int? AlignedBursts = null,
    int? AlignedBurstsWithStall = null,
    long? InsertFailed = null,
    double? Load = null,
    string? Note = null)
{
    /// <summary>Share of the run's bursts in which a connection stalled: what an operator sees.</summary>
    public double Share => Bursts == 0 ? 0 : (double)BurstsWithStall / Bursts;

    /// <summary>
    /// The machine was too busy for the lab: fewer than half the bursts started on all CPUs
    /// together, so the run measured the load, not the kernel's race. Left out of fits.
    /// </summary>
    public bool Busy => Cpus > 1 && AlignedBursts is int aligned && aligned * 2 < Bursts;

    /// <summary>A run a fit uses: it fired bursts and the machine let them race.</summary>
    public bool Usable => !Busy && Bursts > 0;

    /// <summary>"2026-12-06 0035969ec53f6e7f: 81 of 100 bursts stalled (busy)": a run in a list.</summary>
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{(Date is { } date ? date.ToString("yyyy-MM-dd ", System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}{Machine}: {BurstsWithStall} of {Bursts} bursts stalled{(Busy ? " (busy)" : string.Empty)}");
}
