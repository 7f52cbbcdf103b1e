using Whetstone.Training.Reporting.Charts;

namespace Whetstone.Training.Tests.Reporting;

public sealed class ChartMathTests
{
    [Fact]
    public void Lttb_keeps_everything_when_under_the_threshold()
    {
        double[] x = [0, 1, 2, 3];
        Assert.Equal([0, 1, 2, 3], Lttb.Select(x, x, 10));
    }

    [Fact]
    public void Lttb_keeps_the_ends_a_spike_and_exactly_threshold_ascending_points()
    {
        var x = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();
        var y = x.Select(v => Math.Sin(v / 500)).ToArray();
        y[4321] = 50; // a loss spike must survive down-sampling
        var kept = Lttb.Select(x, y, 300);
        Assert.Equal(300, kept.Length);
        Assert.Equal(0, kept[0]);
        Assert.Equal(9999, kept[^1]);
        Assert.Contains(4321, kept);
        Assert.True(kept.Zip(kept.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public void Lttb_of_a_straight_line_spreads_points_evenly()
    {
        var x = Enumerable.Range(0, 1001).Select(i => (double)i).ToArray();
        var kept = Lttb.Select(x, x, 11);
        // Ten buckets of ~100 points: one point per bucket, so the gaps stay below two bucket widths.
        Assert.True(kept.Zip(kept.Skip(1)).All(p => p.Second - p.First < 200));
    }

    [Fact]
    public void Ema_is_debiased_so_a_constant_stays_constant()
    {
        var smooth = Ema.Smooth([3, 3, 3, 3], 0.9);
        Assert.All(smooth, v => Assert.Equal(3, v, 12));
    }

    [Fact]
    public void Ema_matches_the_recurrence_by_hand()
    {
        // w = 0.5: s1 = 0.5·1 = 0.5 → /0.5 = 1; s2 = 0.25 + 0.5·3 = 1.75 → /0.75 = 2.333…
        var smooth = Ema.Smooth([1, 3], 0.5);
        Assert.Equal(1, smooth[0], 12);
        Assert.Equal(1.75 / 0.75, smooth[1], 12);
        Assert.Equal([1.0, 3.0], Ema.Smooth([1, 3], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ema.Smooth([1], 1));
    }

    [Theory]
    [InlineData(0, 0.87, 0, 1, 0.2)]
    [InlineData(1, 2950, 0, 3000, 500)]
    [InlineData(-0.37, 2.3, -0.5, 2.5, 0.5)]
    [InlineData(0.0012, 0.0346, 0, 0.035, 0.005)]
    public void Nice_scale_covers_the_data_with_round_ticks(double lo, double hi, double min, double max, double step)
    {
        var s = NiceScale.Cover(lo, hi, 6);
        Assert.Equal(min, s.Min, 9);
        Assert.Equal(max, s.Max, 9);
        Assert.Equal(step, s.Step, 9);
        Assert.True(s.Min <= lo && s.Max >= hi);
    }

    [Fact]
    public void Nice_scale_widens_a_single_value_and_labels_compactly()
    {
        var one = NiceScale.Cover(5, 5);
        Assert.True(one.Min < 5 && one.Max > 5);
        Assert.Equal(["0", "0.25", "0.5", "0.75", "1"], new NiceScale(0, 1, 0.25).Ticks().Select(new NiceScale(0, 1, 0.25).Format));
        var big = NiceScale.Cover(0, 20_000, 5);
        Assert.Equal("20k", big.Format(20_000));
        Assert.Equal("2.5M", new NiceScale(0, 5e6, 5e5).Format(2.5e6));
        Assert.Equal("1e-4", new NiceScale(0, 5e-4, 1e-4).Format(1e-4));
    }
}
