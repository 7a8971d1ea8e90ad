namespace SnatTools.Core.Race;

/// <summary>
/// The chance that a lab burst loses a connection, as a function of the run's race-window
/// factor: simulated once on a log grid, then read by interpolation while a fit searches.
/// </summary>
internal sealed class RaceWindowCurve
{
    /// <summary>Smallest and largest ln(factor) on the grid: windows from 1/400 to 20 times the basis.</summary>
    public const double LowestLogFactor = -6;
    public const double HighestLogFactor = 3;
    private const double Step = 0.1;
    private readonly double[] _chances;

    private RaceWindowCurve(double[] chances) => _chances = chances;

    /// <summary>The curve of <paramref name="scenario"/> (a fixed window) by simulation, <paramref name="trialsPerPoint"/> bursts a point.</summary>
    public static RaceWindowCurve Simulate(SnatRaceScenario scenario, long trialsPerPoint, int seed)
    {
        int points = (int)Math.Round((HighestLogFactor - LowestLogFactor) / Step) + 1;
        var chances = new double[points];
        Parallel.For(0, points, point =>
            chances[point] = SnatRaceSimulator.ChanceAt(scenario, Math.Exp(LowestLogFactor + (point * Step)), trialsPerPoint, seed));

        // More window cannot mean fewer races: the running maximum irons out Monte Carlo noise.
        for (int point = 1; point < points; point++)
        {
            chances[point] = Math.Max(chances[point], chances[point - 1]);
        }

        return new RaceWindowCurve(chances);
    }

    /// <summary>The chance a burst loses a connection when the windows are e^<paramref name="logFactor"/> times the basis.</summary>
    public double Chance(double logFactor)
    {
        double position = (Math.Clamp(logFactor, LowestLogFactor, HighestLogFactor) - LowestLogFactor) / Step;
        int below = Math.Min((int)position, _chances.Length - 2);
        double fraction = position - below;
        return _chances[below] + ((_chances[below + 1] - _chances[below]) * fraction);
    }
}
