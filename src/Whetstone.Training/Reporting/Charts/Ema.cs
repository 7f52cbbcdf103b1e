namespace Whetstone.Training.Reporting.Charts;

/// <summary>
/// TensorBoard-style exponential moving average with debiasing: s_t = w·s_{t-1} + (1−w)·y_t, divided by 1 − w^t so
/// the first points are not pulled toward zero.
/// </summary>
internal static class Ema
{
    /// <summary>The smoothed values of <paramref name="y"/>; weight 0 returns a copy, weights near 1 smooth more.</summary>
    public static double[] Smooth(IReadOnlyList<double> y, double weight)
    {
        if (weight is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(weight), weight, "The smoothing weight must be in [0, 1).");
        var result = new double[y.Count];
        double last = 0, correction = 1;
        for (var i = 0; i < y.Count; i++)
        {
            last = weight * last + (1 - weight) * y[i];
            correction *= weight;
            result[i] = last / (1 - correction);
        }
        return result;
    }
}
