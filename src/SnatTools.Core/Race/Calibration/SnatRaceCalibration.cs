using System.Globalization;
using SnatTools.Core.Output;

namespace SnatTools.Core.Race;

/// <summary>
/// How long the race window is on a host and how much it varies from run to run: a log-normal
/// fitted to lab runs (<see cref="RaceWindowFitter"/>), with the runs it was fitted to. The
/// model takes its windows from one (<see cref="Timing"/>); every result says which.
/// </summary>
public sealed class SnatRaceCalibration
{
    public SnatRaceCalibration(
        SnatRaceCalibrationSource source,
        DateTimeOffset? date,
        RaceWindowFit fit,
        IReadOnlyList<RaceLabRun> labRuns,
        MachineFacts? machine = null,
        string? path = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(labRuns);
        Source = source;
        Date = date;
        Fit = fit;
        LabRuns = ReadableList.From(labRuns);
        Machine = machine;
        Path = path;
    }

    public SnatRaceCalibrationSource Source { get; }

    /// <summary>When it was fitted.</summary>
    public DateTimeOffset? Date { get; }

    /// <summary>Lab runs the fit used.</summary>
    public int Runs => Fit.Runs;

    /// <summary>Lab runs left out because the machine was too busy for the lab to race.</summary>
    public int ExcludedRuns => Fit.ExcludedRuns;

    /// <summary>Machines the runs came from.</summary>
    public int Machines => LabRuns.Select(run => run.Machine).Distinct(StringComparer.Ordinal).Count();

    /// <summary>CPUs of the machine(s) the lab ran on: what was measured; other counts are extrapolated.</summary>
    public int Cpus => Machine?.Cpus ?? LabRuns.Select(run => run.Cpus).DefaultIfEmpty(0).Max();

    /// <summary>The cold race window of the median run, as hh:mm:ss.fffffff text ("00:00:00.0000017").</summary>
    public string MedianRaceWindow => ReadableText.Duration(MedianRaceWindowSpan);

    /// <summary>σ of ln(window) from run to run.</summary>
    public double WindowSigma => Fit.WindowSigma;

    /// <summary>The cold window of the run at the 5th percentile, as text.</summary>
    public string RaceWindowLow => ReadableText.Duration(Scaled(NormalDistribution.Quantile(0.05)));

    /// <summary>The cold window of the run at the 95th percentile, as text.</summary>
    public string RaceWindowHigh => ReadableText.Duration(Scaled(NormalDistribution.Quantile(0.95)));

    internal TimeSpan MedianRaceWindowSpan => Fit.MedianColdWindow;

    /// <summary>The machine a host calibration belongs to; null for the shipped one.</summary>
    public MachineFacts? Machine { get; }

    /// <summary>The file a host calibration was read from or written to.</summary>
    public string? Path { get; }

    /// <summary>The fitted distribution (its typed values are above as text).</summary>
    internal RaceWindowFit Fit { get; }

    /// <summary>The lab runs it was fitted to (busy ones included, marked).</summary>
    public ReadableList<RaceLabRun> LabRuns { get; }

    /// <summary><paramref name="basis"/> (default <see cref="RaceTiming.Default"/>) with this calibration's windows.</summary>
    public RaceTiming Timing(RaceTiming? basis = null) =>
        (basis ?? RaceTiming.Default).WithWindowDistribution(MedianRaceWindowSpan, WindowSigma);

    public override string ToString() => Source == SnatRaceCalibrationSource.Host
        ? string.Create(CultureInfo.InvariantCulture, $"this host's ({Runs} lab runs, {Date:yyyy-MM-dd})")
        : string.Create(CultureInfo.InvariantCulture, $"shipped default ({Runs} lab runs on {Machines} machine{(Machines == 1 ? string.Empty : "s")} with {Cpus} CPUs)");

    private TimeSpan Scaled(double z) => TimeSpan.FromTicks((long)Math.Round(MedianRaceWindowSpan.Ticks * Math.Exp(WindowSigma * z)));
}
