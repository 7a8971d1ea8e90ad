namespace SnatTools.Core.Race;

/// <summary>
/// The calibration SnatTools ships: fitted to the lab runs in shipped-lab-runs.csv (kept beside
/// this file, embedded in the assembly). The fitted values are <see cref="RaceTiming.Default"/>'s;
/// a test fits the runs again and holds the two equal.
/// </summary>
public static class ShippedRaceCalibration
{
    private const string ResourceName = "SnatTools.Core.Race.Calibration.shipped-lab-runs.csv";
    private static readonly Lazy<SnatRaceCalibration> Shipped = new(Load);

    public static SnatRaceCalibration Calibration => Shipped.Value;

    /// <summary>The runs the default was fitted to.</summary>
    public static IReadOnlyList<RaceLabRun> LabRuns => Shipped.Value.LabRuns;

    private static SnatRaceCalibration Load()
    {
        using var stream = typeof(ShippedRaceCalibration).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly lacks its resource {ResourceName}.");
        using var reader = new StreamReader(stream);
        var runs = RaceLabRunCsv.Parse(reader.ReadToEnd());
        int usable = runs.Count(run => run.Usable);
        var fit = new RaceWindowFit(RaceTiming.Default.ColdRaceWindow, RaceTiming.Default.WindowSigma, null, usable, runs.Count - usable);
        return new SnatRaceCalibration(SnatRaceCalibrationSource.Shipped, runs.Max(run => run.Date), fit, runs);
    }
}
