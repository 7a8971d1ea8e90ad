using SnatTools.Core.Race;

namespace SnatTools.Tests.Infrastructure;

/// <summary>
/// How often a live lab check fails on a correct kernel, from the model: the checks hold these
/// to at most 1 in 1,000 instead of assuming a race is always (or never) lost.
/// </summary>
public static class RaceOdds
{
    /// <summary>The false-failure rate each live statistical check is held to.</summary>
    public const double FalseFailureRate = 1e-3;

    /// <summary>
    /// The chance that <paramref name="bursts"/> bursts of <paramref name="scenario"/> lose no race
    /// at all, E[(1 - p(W))^bursts] over the run-to-run distribution of its windows W (a
    /// quadrature over z in [-6, 6]): the false-failure rate of "at least one stall".
    /// </summary>
    public static double ChanceOfNoStall(SnatRaceScenario scenario, int bursts)
    {
        var fixedWindow = scenario with { Timing = scenario.Timing with { WindowSigma = 0 } };
        double sigma = scenario.Timing.WindowSigma;
        double total = 0;
        double weights = 0;
        for (int step = -60; step <= 60; step++)
        {
            double z = step / 10.0;
            double weight = NormalDistribution.Density(z);
            double p = SnatRaceSimulator.ChanceAt(fixedWindow, Math.Exp(sigma * z), 5_000, seed: 1);
            total += weight * Math.Pow(1 - p, bursts);
            weights += weight;
        }

        return total / weights;
    }

    /// <summary>
    /// The most bursts of <paramref name="bursts"/> that a correct kernel loses with probability
    /// above <see cref="FalseFailureRate"/>, with the worst window any run can have (every pair of
    /// every round racing): for random picks, which can still meet by chance.
    /// </summary>
    public static int MostStalledBursts(SnatRaceScenario scenario, int bursts)
    {
        var worst = SnatRaceSimulator.Run(scenario with { Timing = scenario.Timing.WithRaceWindow(scenario.Timing.ArrivalSpread) }, 1_000_000, seed: 5);
        double p = worst.ProbabilityAnyDropInterval.High;
        double cumulative = 0;
        for (int m = 0; m <= bursts; m++)
        {
            cumulative += Math.Exp(Binomial.LogPmf(m, bursts, p));
            if (1 - cumulative <= FalseFailureRate)
            {
                return m;
            }
        }

        return bursts;
    }
}
