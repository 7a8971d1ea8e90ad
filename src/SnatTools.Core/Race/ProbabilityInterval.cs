using System.Globalization;

namespace SnatTools.Core.Race;

/// <summary>A confidence interval for a probability estimated from counts (95 % unless asked otherwise).</summary>
public readonly record struct ProbabilityInterval(double Low, double High)
{
    /// <summary>Two-sided 95 % normal quantile.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Two-sided 99.9 % normal quantile: for checks that must not fail by chance on a correct
    /// model (one in a thousand runs instead of one in twenty).
    /// </summary>
    public const double Z999 = 3.290526731491926;

    /// <summary>
    /// The Wilson score interval for <paramref name="successes"/> of <paramref name="trials"/>:
    /// unlike the plain normal interval it stays inside [0, 1] and is not empty at 0 successes
    /// (then its upper end is about 3.84 / trials).
    /// </summary>
    public static ProbabilityInterval Wilson(long successes, long trials) => Wilson(successes, trials, Z95);

    /// <summary>The Wilson score interval at the two-sided normal quantile <paramref name="z"/>.</summary>
    public static ProbabilityInterval Wilson(long successes, long trials, double z)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(z, 0);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        double half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / (1 + (z2 / n));
        return new ProbabilityInterval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    public bool Contains(double probability) => probability >= Low && probability <= High;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Low:0.####%}, {High:0.####%}]");
}
