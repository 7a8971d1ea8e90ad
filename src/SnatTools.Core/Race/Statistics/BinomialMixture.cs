namespace SnatTools.Core.Race;

/// <summary>
/// How many of n bursts stall when the chance per burst is itself uncertain: a mixture of
/// binomials, one per possible chance (the run's race window), each with its weight.
/// </summary>
public static class BinomialMixture
{
    /// <summary>Runs longer than this use the normal approximation to each binomial (its error is then far below a burst).</summary>
    public const long ExactUpTo = 200_000;

    /// <summary>
    /// The central interval holding <paramref name="coverage"/> of the share k/n of stalled bursts:
    /// from the (1-coverage)/2 quantile to the (1+coverage)/2 quantile of the mixture.
    /// </summary>
    public static ProbabilityInterval CentralInterval(IReadOnlyList<double> probabilities, IReadOnlyList<double> weights, long n, double coverage)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (probabilities.Count == 0 || probabilities.Count != weights.Count)
        {
            throw new ArgumentException("One weight per probability, at least one.", nameof(weights));
        }

        if (!(coverage > 0 && coverage < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "A coverage strictly between 0 and 1.");
        }

        double total = weights.Sum();
        double lowTail = (1 - coverage) / 2;
        return n <= ExactUpTo
            ? Exact(probabilities, weights, total, n, lowTail)
            : Normal(probabilities, weights, total, n, lowTail);
    }

    private static ProbabilityInterval Exact(IReadOnlyList<double> probabilities, IReadOnlyList<double> weights, double total, long n, double lowTail)
    {
        var mass = new double[n + 1];
        for (int i = 0; i < probabilities.Count; i++)
        {
            Binomial.AddPmf(mass, probabilities[i], weights[i] / total);
        }

        long low = -1;
        long high = n;
        double cumulative = 0;
        for (long k = 0; k <= n; k++)
        {
            cumulative += mass[k];
            if (low < 0 && cumulative >= lowTail)
            {
                low = k;
            }

            if (cumulative >= 1 - lowTail - 1e-12)
            {
                high = k;
                break;
            }
        }

        return new ProbabilityInterval((double)Math.Max(low, 0) / n, (double)high / n);
    }

    private static ProbabilityInterval Normal(IReadOnlyList<double> probabilities, IReadOnlyList<double> weights, double total, long n, double lowTail)
    {
        double Cdf(double share)
        {
            double sum = 0;
            for (int i = 0; i < probabilities.Count; i++)
            {
                double p = probabilities[i];
                double sd = Math.Sqrt(p * (1 - p) / n);
                double below = sd == 0 ? (share >= p ? 1 : 0) : NormalCdf((share - p) / sd);
                sum += weights[i] / total * below;
            }

            return sum;
        }

        double Quantile(double target)
        {
            double low = 0;
            double high = 1;
            for (int step = 0; step < 60; step++)
            {
                double middle = (low + high) / 2;
                if (Cdf(middle) >= target)
                {
                    high = middle;
                }
                else
                {
                    low = middle;
                }
            }

            return high;
        }

        return new ProbabilityInterval(Quantile(lowTail), Quantile(1 - lowTail));
    }

    /// <summary>Φ(z) from the complementary error function (Numerical Recipes' erfc, relative error below 1.2e-7).</summary>
    private static double NormalCdf(double z)
    {
        double x = -z / Math.Sqrt(2);
        double t = 1 / (1 + (0.5 * Math.Abs(x)));
        double tau = t * Math.Exp((-x * x) - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418
            + (t * (-0.18628806 + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587
            + (t * (-0.82215223 + (t * 0.17087277))))))))))))))))));
        double erfc = x >= 0 ? tau : 2 - tau;
        return 0.5 * erfc;
    }
}
