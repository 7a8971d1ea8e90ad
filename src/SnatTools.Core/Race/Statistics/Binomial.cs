namespace SnatTools.Core.Race;

/// <summary>The binomial distribution of k stalled bursts out of n, each with probability p.</summary>
public static class Binomial
{
    // Lanczos approximation, g = 7, n = 9 (about 15 correct digits for positive arguments).
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(x, 0);
        if (x < 0.5)
        {
            // Reflection keeps the series in its accurate range.
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        double sum = Lanczos[0];
        for (int i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }

        double t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>ln P(K = k) for K ~ Binomial(n, p); -∞ where the probability is 0.</summary>
    public static double LogPmf(long k, long n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (k < 0 || k > n)
        {
            return double.NegativeInfinity;
        }

        if (p <= 0)
        {
            return k == 0 ? 0 : double.NegativeInfinity;
        }

        if (p >= 1)
        {
            return k == n ? 0 : double.NegativeInfinity;
        }

        return LogChoose(n, k) + (k * Math.Log(p)) + ((n - k) * Math.Log(1 - p));
    }

    /// <summary>ln C(n, k).</summary>
    public static double LogChoose(long n, long k) => LogGamma(n + 1.0) - LogGamma(k + 1.0) - LogGamma(n - k + 1.0);

    /// <summary>
    /// Adds <paramref name="weight"/> × P(K = k) to <paramref name="mass"/>[k] for every k whose
    /// probability is not negligible (mass.Length is n + 1): walks out from the mode with the
    /// ratio P(k+1)/P(k), so a narrow distribution costs only its width, not n.
    /// </summary>
    public static void AddPmf(Span<double> mass, double p, double weight)
    {
        long n = mass.Length - 1;
        if (p <= 0)
        {
            mass[0] += weight;
            return;
        }

        if (p >= 1)
        {
            mass[(int)n] += weight;
            return;
        }

        int mode = (int)Math.Min(n, Math.Floor((n + 1) * p));
        double atMode = Math.Exp(LogPmf(mode, n, p));
        double odds = p / (1 - p);
        const double Negligible = 1e-16;

        double value = atMode;
        for (int k = mode; k <= n && value >= Negligible * atMode; k++)
        {
            mass[k] += weight * value;
            value *= (n - k) / (k + 1.0) * odds;
        }

        value = atMode;
        for (int k = mode; k > 0;)
        {
            value *= k / (n - k + 1.0) / odds;
            k--;
            if (value < Negligible * atMode)
            {
                break;
            }

            mass[k] += weight * value;
        }
    }
}
