using System.Collections.Concurrent;
using System.Globalization;

namespace SnatTools.Core.Race;

/// <summary>
/// Fits the race window's run-to-run distribution to lab runs by maximum likelihood: each run
/// draws its window from a log-normal, each of its bursts then stalls with the model's chance
/// for that window, independently.
/// </summary>
/// <remarks>
/// Why a log-normal window fed through the model rather than a beta-binomial on the lab's share:
/// the window is a duration that varies by factors (cache and frequency state, load), and a
/// distribution of windows carries over to every other scenario the model answers for (more
/// connections, more CPUs, other algorithms), where a beta-binomial describes only the lab's own
/// burst. Both absorb the over-dispersion; only the window travels.
/// </remarks>
public static class RaceWindowFitter
{
    /// <summary>Fewer usable runs than this cannot tell spread from chance.</summary>
    public const int MinimumRuns = 3;

    /// <summary>Simulated bursts per point of the lab's chance-versus-window curve.</summary>
    internal const long CurveTrials = 20_000;

    // A lab shape's curve is the same for every fit (same seed): simulated once per process.
    private static readonly ConcurrentDictionary<SnatRaceScenario, RaceWindowCurve> Curves = new();

    // z from -6 to 6: the log-normal's mass beyond is below 1e-8.
    private const int Nodes = 121;
    private const double NodeSpan = 6;

    /// <summary>Fits <paramref name="runs"/> (busy ones left out), windows relative to <paramref name="basis"/> (default <see cref="RaceTiming.Default"/>).</summary>
    /// <exception cref="SnatToolsException">CalibrationFailed: too few usable runs, or runs that never (or always) lost a race.</exception>
    public static RaceWindowFit Fit(IReadOnlyList<RaceLabRun> runs, RaceTiming? basis = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        basis = (basis ?? RaceTiming.Default) with { WindowSigma = 0 };
        var usable = runs.Where(run => run.Usable).ToList();
        int excluded = runs.Count - usable.Count;
        if (usable.Count < MinimumRuns)
        {
            throw Failed(string.Create(CultureInfo.InvariantCulture,
                $"{usable.Count} usable lab runs ({excluded} left out because the machine was too busy for the CPUs to start bursts together); at least {MinimumRuns} are needed. Run again on a quieter machine."));
        }

        if (usable.All(run => run.BurstsWithStall == 0) || usable.All(run => run.BurstsWithStall == run.Bursts))
        {
            throw Failed("Every lab run lost a race in none (or in all) of its bursts: nothing tells the window's size. Is the lab rule plain MASQUERADE, and the machine quiet?");
        }

        var curves = usable
            .Select(run => (run.Cpus, run.Clients, run.IdleMilliseconds))
            .Distinct()
            .ToDictionary(shape => shape, shape => Curves.GetOrAdd(
                LabShape(shape.Cpus, shape.Clients, shape.IdleMilliseconds, basis),
                scenario => RaceWindowCurve.Simulate(scenario, CurveTrials, seed: 1)));
        var data = usable.Select(run => new RunData(run.Bursts, run.BurstsWithStall, curves[(run.Cpus, run.Clients, run.IdleMilliseconds)])).ToArray();

        var nodes = new double[Nodes];
        var logWeights = new double[Nodes];
        double step = 2 * NodeSpan / (Nodes - 1);
        double weightSum = 0;
        for (int j = 0; j < Nodes; j++)
        {
            nodes[j] = -NodeSpan + (j * step);
            weightSum += NormalDistribution.Density(nodes[j]);
        }

        for (int j = 0; j < Nodes; j++)
        {
            logWeights[j] = Math.Log(NormalDistribution.Density(nodes[j]) / weightSum);
        }

        double LogLikelihood(double mu, double sigma)
        {
            double total = 0;
            Span<double> terms = stackalloc double[Nodes];
            foreach (var run in data)
            {
                double largest = double.NegativeInfinity;
                for (int j = 0; j < Nodes; j++)
                {
                    double p = Math.Clamp(run.Curve.Chance(mu + (sigma * nodes[j])), 1e-12, 1 - 1e-12);
                    terms[j] = logWeights[j] + (run.Stalled * Math.Log(p)) + ((run.Bursts - run.Stalled) * Math.Log(1 - p));
                    largest = Math.Max(largest, terms[j]);
                }

                double sum = 0;
                foreach (double term in terms)
                {
                    sum += Math.Exp(term - largest);
                }

                total += run.LogChoose + largest + Math.Log(sum);
            }

            return total;
        }

        // A coarse grid finds the basin; Nelder-Mead then refines within it.
        (double Mu, double Sigma, double Value) best = (0, 0, double.NegativeInfinity);
        for (double mu = -4; mu <= 2.5; mu += 0.1)
        {
            for (double sigma = 0; sigma <= 2.5; sigma += 0.1)
            {
                double value = LogLikelihood(mu, sigma);
                if (value > best.Value)
                {
                    best = (mu, sigma, value);
                }
            }
        }

        var (muHat, sigmaHat, logLikelihood) = NelderMead.Maximise(
            (mu, sigma) => sigma < 0 || sigma > RaceTiming.MaxWindowSigma ? double.NegativeInfinity : LogLikelihood(mu, sigma),
            best.Mu,
            best.Sigma,
            0.05);
        var median = TimeSpan.FromTicks((long)Math.Round(basis.ColdRaceWindow.Ticks * Math.Exp(muHat)));
        return new RaceWindowFit(median, Math.Round(sigmaHat, 3), logLikelihood, usable.Count, excluded);
    }

    /// <summary>The lab's burst on <paramref name="cpus"/> CPUs: one connection per client, all sharing a source port, plain MASQUERADE.</summary>
    internal static SnatRaceScenario LabShape(int cpus, int clients, int idleMilliseconds, RaceTiming basis) =>
        SnatRaceLabModel.LabScenario(SnatAlgorithm.KeepOriginal, clients, clients, cpus, TimeSpan.FromMilliseconds(idleMilliseconds), basis) with { Kernel = SnatKernel.Current };

    private static SnatToolsException Failed(string message) => new(ErrorIds.CalibrationFailed, ErrorKind.InvalidOperation, message);

    private sealed class RunData(int bursts, int stalled, RaceWindowCurve curve)
    {
        public int Bursts { get; } = bursts;

        public int Stalled { get; } = stalled;

        public RaceWindowCurve Curve { get; } = curve;

        public double LogChoose { get; } = Binomial.LogChoose(bursts, stalled);
    }
}
