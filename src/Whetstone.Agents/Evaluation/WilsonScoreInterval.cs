namespace Whetstone.Agents.Evaluation;

/// <summary>
/// The Wilson score interval for a success rate. Unlike the textbook p ± z·√(p(1−p)/n) (the Wald interval) it stays
/// inside [0, 1] and does not collapse to a zero-width interval at 0/n or n/n, which is exactly where small agent
/// evaluations live (e.g. 0 of 20 solved still leaves up to ~16% plausible).
/// </summary>
/// <remarks>
/// With p = s/n: centre = (p + z²/2n) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²).
/// Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical inference", JASA 22(158).
/// </remarks>
public static class WilsonScoreInterval
{
    /// <summary>z for a two-sided 95% interval: the 0.975 quantile of the standard normal.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The interval for <paramref name="successes"/> out of <paramref name="trials"/>; [0, 1] when there are no trials.</summary>
    /// <param name="successes">Number of successes, 0 … <paramref name="trials"/>.</param>
    /// <param name="trials">Number of trials.</param>
    /// <param name="z">Normal quantile of the confidence level; <see cref="Z95"/> by default.</param>
    public static ConfidenceInterval Compute(int successes, int trials, double z = Z95)
    {
        if (trials < 0) throw new ArgumentOutOfRangeException(nameof(trials), trials, "trials must not be negative.");
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes), successes, $"successes must be in 0 … {trials}.");
        if (trials == 0) return new ConfidenceInterval(0, 1);
        double n = trials, p = successes / n, z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At s = 0 or s = n the bound is exactly 0 or 1 in exact arithmetic; clamp away the rounding.
        return new ConfidenceInterval(successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }
}
