namespace Whetstone.Agents.Evaluation;

/// <summary>
/// The unbiased pass@k estimator (Chen et al. 2021, "Evaluating Large Language Models Trained on Code"): given n
/// samples of a task of which c succeeded, the probability that at least one of k samples drawn without replacement
/// succeeds is 1 − C(n−c, k) / C(n, k).
/// </summary>
/// <remarks>
/// The binomials overflow long before n reaches the hundreds, so the ratio is computed as the product
/// C(n−c, k)/C(n, k) = Π_{i=n−c+1}^{n} (1 − k/i), whose factors all lie in [0, 1].
/// </remarks>
public static class PassAtK
{
    /// <summary>pass@<paramref name="k"/> for one task with <paramref name="n"/> samples and <paramref name="c"/> successes.</summary>
    public static double Estimate(int n, int c, int k)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        if (c < 0 || c > n) throw new ArgumentOutOfRangeException(nameof(c), c, $"c must be in 0 … {n}.");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1 … {n} (the number of samples).");
        if (n - c < k) return 1.0; // every draw of k contains a success
        double allFail = 1.0;
        for (int i = n - c + 1; i <= n; i++)
            allFail *= 1.0 - (double)k / i;
        return 1.0 - allFail;
    }
}
