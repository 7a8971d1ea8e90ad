using SnatTools.Core;
using SnatTools.Core.Race;

namespace SnatTools.Tests.Race;

/// <summary>
/// The race window's run-to-run fit, on synthetic runs whose truth is known. Every test draws
/// from fixed seeds, so none can fail by chance; each bound is stated with how often a fresh
/// seed would break it.
/// </summary>
public sealed class RaceWindowFitTests
{
    private static readonly RaceTiming Basis = RaceTiming.Default with { WindowSigma = 0 };

    [Theory]
    [InlineData(1.0, 0.6, 1)]
    [InlineData(0.6, 0.3, 2)]
    [InlineData(1.2, 0.45, 3)]
    public void The_fit_recovers_a_known_log_normal_window_from_overdispersed_runs(double medianFactor, double sigma, int seed)
    {
        // 80 runs of 40 to 100 bursts, each run's window drawn from the truth. The truths stay
        // where the lab's chance is not saturated: on 2 CPUs every window above the 4 µs arrival
        // spread races in every burst, so a distribution mostly above it cannot be told apart.
        var runs = SyntheticRuns(medianFactor, sigma, runs: 80, seed);

        var fit = RaceWindowFitter.Fit(runs, Basis);

        // Bounds of about 3 standard errors (σ̂'s error is near σ/√(2·80) plus the binomial noise
        // it must see through). Checked over 100 other seeds per truth: none outside; the worst
        // were 0.16 off in ln(median) (bound 0.22) and 0.13 off in σ (bound 0.2).
        double fittedFactor = (double)fit.MedianColdWindow.Ticks / Basis.ColdRaceWindow.Ticks;
        Assert.InRange(fittedFactor, medianFactor * 0.80, medianFactor * 1.25);
        Assert.InRange(fit.WindowSigma, sigma - 0.2, sigma + 0.2);
        Assert.Equal(80, fit.Runs);
    }

    [Fact]
    public void Runs_that_differ_only_by_chance_give_almost_no_spread()
    {
        var runs = SyntheticRuns(1.0, 0, runs: 60, seed: 4);
        var fit = RaceWindowFitter.Fit(runs, Basis);

        // Over 100 other seeds: below 0.15 in all.
        Assert.True(fit.WindowSigma < 0.15, fit.ToString());
    }

    [Fact]
    public void The_range_holds_nine_runs_in_ten_of_a_known_distribution()
    {
        // The truth: median 1.0 × the basis, σ 0.6. 2,000 synthetic runs of 40 bursts; the share
        // inside the model's 90 % range must be near 90 % (binomial sd of the count: 0.7 points).
        var timing = Basis.WithWindowDistribution(Basis.ColdRaceWindow, 0.6);
        var scenario = SnatRaceLabModel.LabScenario(SnatAlgorithm.KeepOriginal, 8, 8, 2, TimeSpan.FromMilliseconds(50), timing);
        var range = SnatRaceSimulator.Run(scenario, 200_000, seed: 9).RangeFor(40);
        var runs = SyntheticRuns(1.0, 0.6, runs: 2000, seed: 5, bursts: 40);
        double inside = runs.Count(run => range.Contains(run.Share)) / (double)runs.Count;

        // A discrete range holds at least 90 % of the probability, so a little more than 90 % is expected.
        Assert.InRange(inside, 0.87, 0.96);
    }

    [Fact]
    public void The_shipped_default_is_the_fit_of_the_runs_kept_in_the_repository()
    {
        var runs = ShippedRaceCalibration.LabRuns;
        var fit = RaceWindowFitter.Fit(runs, Basis);

        Assert.InRange(fit.MedianColdWindow.Ticks, RaceTiming.Default.ColdRaceWindow.Ticks - 1, RaceTiming.Default.ColdRaceWindow.Ticks + 1);
        Assert.InRange(fit.WindowSigma, RaceTiming.Default.WindowSigma - 0.02, RaceTiming.Default.WindowSigma + 0.02);
        Assert.Equal(fit.Runs, ShippedRaceCalibration.Calibration.Runs);
        Assert.True(ShippedRaceCalibration.Calibration.Machines >= 2, "the runs of the second machine (issue 11) are in the data");
        Assert.All(runs, run => Assert.Equal(2, run.Cpus));
    }

    [Fact]
    public void Busy_runs_are_left_out_and_too_few_runs_or_runs_without_any_race_are_refused()
    {
        var quiet = SyntheticRuns(1.0, 0.5, runs: 6, seed: 6);
        var busy = quiet.Select(run => run with { AlignedBursts = run.Bursts / 3, AlignedBurstsWithStall = run.BurstsWithStall }).ToList();
        var fit = RaceWindowFitter.Fit([.. quiet, .. busy.Take(2)], Basis);
        Assert.Equal((6, 2), (fit.Runs, fit.ExcludedRuns));
        Assert.All(busy, run => Assert.True(run.Busy));

        var tooFew = Assert.Throws<SnatToolsException>(() => RaceWindowFitter.Fit([.. quiet.Take(2), .. busy], Basis));
        Assert.Equal(ErrorIds.CalibrationFailed, tooFew.ErrorId);
        Assert.Contains("too busy", tooFew.Message, StringComparison.Ordinal);

        var noRace = quiet.Select(run => run with { BurstsWithStall = 0 }).ToList();
        Assert.Equal(ErrorIds.CalibrationFailed, Assert.Throws<SnatToolsException>(() => RaceWindowFitter.Fit(noRace, Basis)).ErrorId);
    }

    [Fact]
    public void A_mixture_of_one_binomial_is_the_binomial()
    {
        // Binomial(40, 0.3): P(K ≤ 7) = 0.0553 is the first ≥ 5 %, P(K ≤ 16) = 0.9461, P(K ≤ 17) = 0.9680.
        var range = BinomialMixture.CentralInterval([0.3], [1.0], 40, 0.90);
        Assert.Equal(new ProbabilityInterval(7 / 40.0, 17 / 40.0), range);

        // Past the exact limit the normal approximation takes over and agrees to a burst.
        var exact = BinomialMixture.CentralInterval([0.2, 0.6], [1.0, 1.0], BinomialMixture.ExactUpTo, 0.90);
        var normal = BinomialMixture.CentralInterval([0.2, 0.6], [1.0, 1.0], BinomialMixture.ExactUpTo + 1, 0.90);
        Assert.InRange(normal.Low - exact.Low, -2e-5, 2e-5);
        Assert.InRange(normal.High - exact.High, -2e-5, 2e-5);
    }

    [Fact]
    public void Normal_quantiles_and_log_gamma_are_right()
    {
        Assert.Equal(1.6448536269514722, NormalDistribution.Quantile(0.95), 7);
        Assert.Equal(-2.3263478740408408, NormalDistribution.Quantile(0.01), 7);
        Assert.Equal(0, NormalDistribution.Quantile(0.5), 12);
        Assert.Equal(Math.Log(3628800), Binomial.LogGamma(11), 10);
        Assert.Equal(0.5 * Math.Log(Math.PI), Binomial.LogGamma(0.5), 10);
    }

    /// <summary>Runs whose windows are drawn from a log-normal (median factor, σ) and whose stalls are then binomial.</summary>
    private static List<RaceLabRun> SyntheticRuns(double medianFactor, double sigma, int runs, int seed, int? bursts = null)
    {
        var random = new Random(seed);
        var scenario = RaceWindowFitter.LabShape(2, 8, 50, Basis);
        var list = new List<RaceLabRun>(runs);
        for (int i = 0; i < runs; i++)
        {
            double z = NormalDistribution.Quantile((random.NextDouble() * 0.999998) + 0.000001);
            double factor = medianFactor * Math.Exp(sigma * z);
            double p = SnatRaceClosedForm.FirstPairRaceProbability(scenario.Timing.FirstRoundWindowTicks * factor, scenario.Timing.ArrivalSpread.Ticks, 2);
            int n = bursts ?? random.Next(40, 101);
            int stalled = 0;
            for (int b = 0; b < n; b++)
            {
                stalled += random.NextDouble() < p ? 1 : 0;
            }

            list.Add(new RaceLabRun(null, "synthetic", "none", 2, "test", "synthetic", 50, 8, n, stalled));
        }

        return list;
    }
}
