using System.Globalization;
using SnatTools.Core.Race;

namespace SnatTools.Core.Lab;

/// <summary>
/// Fits this host's race calibration: several lab runs, each in a fresh lab, of bursts of
/// clients that share a source port through a plain MASQUERADE, then <see cref="RaceWindowFitter"/>.
/// </summary>
public static class LabCalibration
{
    /// <summary>The pause before each burst: the lab's default, the one the shipped runs used.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Runs <paramref name="runs"/> lab runs of <paramref name="bursts"/> bursts and fits them.
    /// <paramref name="progress"/> hears (run, burst) after every burst.
    /// </summary>
    /// <exception cref="SnatToolsException">LabUnavailable without root; CalibrationFailed when the runs cannot be fitted.</exception>
    public static SnatRaceCalibration Run(int runs, int bursts, int clients, Action<int, int>? progress, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, RaceWindowFitter.MinimumRuns);
        ArgumentOutOfRangeException.ThrowIfLessThan(bursts, 1);
        var machine = MachineFacts.Current();
        var measured = new List<RaceLabRun>(runs);
        for (int run = 0; run < runs; run++)
        {
            cancellation.ThrowIfCancellationRequested();
            double? load = ReadLoad();
            using var lab = SnatRaceLab.Create(LabMasqueradeMode.Plain, clients);
            int current = run;
            var result = lab.RunBursts(clients, bursts, Idle, sharedSourcePort: true, burst => progress?.Invoke(current, burst), cancellation, clients);
            measured.Add(new RaceLabRun(
                DateTimeOffset.UtcNow,
                machine.MachineId,
                machine.CpuModel,
                lab.Cpus,
                machine.Kernel,
                "fresh",
                (int)Idle.TotalMilliseconds,
                clients,
                result.Bursts,
                result.BurstsWithStall,
                result.Stalled,
                result.AlignedBursts,
                result.AlignedBurstsWithStall,
                (long)result.InsertFailed,
                load));
        }

        var fit = RaceWindowFitter.Fit(measured);
        return new SnatRaceCalibration(SnatRaceCalibrationSource.Host, DateTimeOffset.UtcNow, fit, measured, machine);
    }

    private static double? ReadLoad()
    {
        try
        {
            string first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
