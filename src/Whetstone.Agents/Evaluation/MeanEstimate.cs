namespace Whetstone.Agents.Evaluation;

/// <summary>
/// The mean of a sample with its standard deviation and a 95% confidence interval from the normal approximation,
/// mean ± 1.96 · s/√n (s: the sample standard deviation, dividing by n − 1). With one value the deviation is 0 and
/// the interval is the point; with none, everything is 0.
/// </summary>
/// <param name="Count">Number of values.</param>
/// <param name="Mean">Their mean.</param>
/// <param name="StdDev">Sample standard deviation (n − 1 in the denominator).</param>
/// <param name="Interval">95% confidence interval of the mean.</param>
public readonly record struct MeanEstimate(int Count, double Mean, double StdDev, ConfidenceInterval Interval)
{
    /// <summary>Estimates the mean of <paramref name="values"/>.</summary>
    public static MeanEstimate Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0) return new MeanEstimate(0, 0, 0, new ConfidenceInterval(0, 0));
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= n;
        if (n == 1) return new MeanEstimate(1, mean, 0, new ConfidenceInterval(mean, mean));
        double squares = 0;
        foreach (var v in values) squares += (v - mean) * (v - mean);
        double std = Math.Sqrt(squares / (n - 1));
        double half = WilsonScoreInterval.Z95 * std / Math.Sqrt(n);
        return new MeanEstimate(n, mean, std, new ConfidenceInterval(mean - half, mean + half));
    }
}
