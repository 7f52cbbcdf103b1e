using System.Globalization;

namespace Whetstone.Training.Reporting.Charts;

/// <summary>
/// Axis ranges with round tick values (1, 2, 2.5 or 5 × 10^k apart) that cover the data, and short tick labels.
/// </summary>
internal readonly record struct NiceScale(double Min, double Max, double Step)
{
    /// <summary>Ticks from <see cref="Min"/> to <see cref="Max"/> inclusive.</summary>
    public IEnumerable<double> Ticks()
    {
        var count = (int)Math.Round((Max - Min) / Step);
        for (var i = 0; i <= count; i++) yield return Min + i * Step;
    }

    /// <summary>A scale covering [lo, hi] with about <paramref name="targetTicks"/> ticks.</summary>
    public static NiceScale Cover(double lo, double hi, int targetTicks = 6)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) (lo, hi) = (0, 1);
        if (hi < lo) (lo, hi) = (hi, lo);
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi)))
        {
            // One value: widen around it so the line sits mid-chart instead of on an axis of zero height.
            var pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            (lo, hi) = (lo - pad, hi + pad);
        }
        var step = NiceStep((hi - lo) / Math.Max(1, targetTicks - 1));
        var min = Math.Floor(lo / step + 1e-9) * step;
        var max = Math.Ceiling(hi / step - 1e-9) * step;
        return new NiceScale(min, max, step);
    }

    private static double NiceStep(double raw)
    {
        var exponent = Math.Floor(Math.Log10(raw));
        var magnitude = Math.Pow(10, exponent);
        var fraction = raw / magnitude;
        // Nearest nice step rather than the next larger one, so the tick count stays close to the target.
        var nice = fraction < 1.5 ? 1 : fraction < 2.25 ? 2 : fraction < 3.5 ? 2.5 : fraction < 7.5 ? 5 : 10;
        return nice * magnitude;
    }

    /// <summary>A tick label with just enough digits for this scale's step: <c>0.25</c>, <c>1.5k</c>, <c>2M</c>, <c>1e-05</c>.</summary>
    public string Format(double value)
    {
        if (Math.Abs(value) < Step * 1e-6) return "0";
        var largest = Math.Max(Math.Abs(Min), Math.Abs(Max));
        if (largest >= 1e6 && Step >= 1e5) return Scaled(value / 1e6, Step / 1e6) + "M";
        if (largest >= 1e4 && Step >= 100) return Scaled(value / 1e3, Step / 1e3) + "k";
        if (largest < 1e-3) return value.ToString("0.##e+0", CultureInfo.InvariantCulture);
        return Scaled(value, Step);
    }

    private static string Scaled(double value, double step)
    {
        var decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9), 0, 8);
        // 2.5 × 10^k needs one more digit than 10^k.
        if (Math.Abs(step * Math.Pow(10, decimals) - Math.Round(step * Math.Pow(10, decimals))) > 1e-6) decimals++;
        return value.ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }
}
