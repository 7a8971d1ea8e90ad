namespace SnatTools.Core.Race;

/// <summary>
/// The run-to-run spread of the race window (<see cref="RaceTiming.WindowSigma"/>) cut into
/// equally likely strata: the model plays every stratum's median window in turn, so one
/// simulation gives both the long-run chance (the average) and how it varies between runs.
/// </summary>
internal static class WindowStrata
{
    /// <summary>Strata per simulation: a power of two dividing <see cref="SnatRaceSimulator.ChunkSize"/>.</summary>
    public const int Count = 64;

    /// <summary>
    /// The stratum of trial <paramref name="trial"/>: strata in bit-reversed order, so a run of
    /// fewer than <see cref="Count"/> trials still spreads over the whole distribution.
    /// </summary>
    public static int Of(long trial)
    {
        int index = (int)(trial & (Count - 1));
        int reversed = 0;
        for (int bit = 0; bit < 6; bit++)
        {
            reversed = (reversed << 1) | ((index >> bit) & 1);
        }

        return reversed;
    }

    /// <summary>The factor on the median windows at the middle (in probability) of <paramref name="stratum"/>.</summary>
    public static double Factor(double sigma, int stratum) =>
        sigma == 0 ? 1 : Math.Exp(sigma * NormalDistribution.Quantile((stratum + 0.5) / Count));
}
