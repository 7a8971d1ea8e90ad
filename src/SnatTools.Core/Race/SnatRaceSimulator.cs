namespace SnatTools.Core.Race;

/// <summary>
/// The port-allocation race model: plays a <see cref="SnatRaceScenario"/>'s burst many times
/// (Monte Carlo) with the kernel's own port choice (<see cref="CurrentKernelAllocator"/>,
/// <see cref="LegacyKernelAllocator"/>) and counts what was lost.
/// </summary>
/// <remarks>
/// Reproducible: the trials are cut into chunks of <see cref="ChunkSize"/>; chunk c draws from
/// PCG stream (seed, c) whichever thread runs it, and the counts are sums, so one seed gives the
/// same result on any number of threads. Different algorithms with the same seed share their
/// streams (common random numbers), which makes their difference less noisy than either alone.
/// </remarks>
public static class SnatRaceSimulator
{
    /// <summary>Trials per independently seeded chunk.</summary>
    public const int ChunkSize = 1024;

    /// <summary>Most trials one run takes.</summary>
    public const long MaxTrials = 1_000_000_000;

    /// <summary>
    /// Whether two scenarios run the very same simulation, draw for draw: where two algorithms both
    /// draw a fresh random start (on the current kernel NF_NAT_RANGE_PROTO_RANDOM and
    /// _RANDOM_FULLY take one code path: nf_nat_core.c tests only NF_NAT_RANGE_PROTO_RANDOM_ALL),
    /// one seed gives identical results and one run answers for both (<see cref="SnatRaceResult.For"/>).
    /// </summary>
    public static bool Equivalent(SnatRaceScenario first, SnatRaceScenario second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first == second)
        {
            return true;
        }

        var choiceFor = PortAllocators.For(first.Kernel).ChoiceFor;
        return first with { Algorithm = second.Algorithm } == second
            && choiceFor(first.Algorithm) == PortChoice.FreshRandom
            && choiceFor(second.Algorithm) == PortChoice.FreshRandom;
    }

    /// <summary>Simulates <paramref name="trials"/> bursts of <paramref name="scenario"/>.</summary>
    /// <param name="maxThreads">Worker threads; default all processors.</param>
    /// <exception cref="SnatToolsException">InvalidArgument when the scenario does not hold together.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellation"/> fires.</exception>
    public static SnatRaceResult Run(
        SnatRaceScenario scenario,
        long trials,
        int seed,
        SnatRaceProgress? progress = null,
        CancellationToken cancellation = default,
        int? maxThreads = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (trials < 1 || trials > MaxTrials)
        {
            throw new SnatToolsException(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument, $"Trials must be between 1 and {MaxTrials}; got {trials}.", trials);
        }

        scenario.Validate();
        int buckets = scenario.SynRetries + 2;
        int strata = scenario.Timing.WindowSigma == 0 ? 1 : WindowStrata.Count;
        long chunks = (trials + ChunkSize - 1) / ChunkSize;
        long nextChunk = -1;
        var total = new long[buckets];
        var strataTrials = new long[strata];
        var strataWithDrop = new long[strata];
        var gate = new object();

        void Work()
        {
            var burst = BurstSimulation.Create(scenario);
            var histogram = new long[buckets];
            var played = new long[strata];
            var withDrop = new long[strata];
            long chunk;
            while ((chunk = Interlocked.Increment(ref nextChunk)) < chunks)
            {
                cancellation.ThrowIfCancellationRequested();
                burst.Reseed(Pcg32.ForChunk(seed, chunk));
                long count = Math.Min(ChunkSize, trials - (chunk * ChunkSize));
                for (long t = 0; t < count; t++)
                {
                    // ChunkSize is a multiple of the strata: trial t of any chunk plays the same stratum.
                    int stratum = strata == 1 ? 0 : WindowStrata.Of(t);
                    burst.UseStratum(stratum);
                    played[stratum]++;
                    if (burst.Run())
                    {
                        withDrop[stratum]++;
                    }

                    burst.CountLosses(histogram);
                }

                progress?.Add(count);
            }

            // Sums do not depend on which thread ran which chunk.
            lock (gate)
            {
                for (int b = 0; b < buckets; b++)
                {
                    total[b] += histogram[b];
                }

                for (int w = 0; w < strata; w++)
                {
                    strataTrials[w] += played[w];
                    strataWithDrop[w] += withDrop[w];
                }
            }
        }

        int threads = (int)Math.Min(chunks, Math.Max(1, maxThreads ?? Environment.ProcessorCount));
        if (threads == 1)
        {
            Work();
        }
        else
        {
            try
            {
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Work());
            }
            catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
                throw;
            }
        }

        return new SnatRaceResult(scenario, trials, seed, new WindowStrataCounts(strataTrials, strataWithDrop), total, SnatRaceClosedForm.ProbabilityAnyDrop(scenario));
    }

    /// <summary>
    /// The chance a burst of <paramref name="scenario"/> loses a SYN when its race windows are
    /// <paramref name="windowFactor"/> times the scenario's (fixed) ones: one point of the curve a
    /// calibration fits runs to. Single-threaded; the callers run many points.
    /// </summary>
    internal static double ChanceAt(SnatRaceScenario scenario, double windowFactor, long trials, int seed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        if (scenario.Timing.WindowSigma != 0)
        {
            throw new ArgumentException("A fixed-window scenario: the factor stands for one run's windows.", nameof(scenario));
        }

        var burst = BurstSimulation.Create(scenario, windowFactor);
        long withDrop = 0;
        for (long chunk = 0; chunk * ChunkSize < trials; chunk++)
        {
            burst.Reseed(Pcg32.ForChunk(seed, chunk));
            long count = Math.Min(ChunkSize, trials - (chunk * ChunkSize));
            for (long t = 0; t < count; t++)
            {
                if (burst.Run())
                {
                    withDrop++;
                }
            }
        }

        return (double)withDrop / trials;
    }
}
