using Whetstone.Agents.Evaluation;

namespace Whetstone.Agents.Tests.Evaluation;

public class MeanEstimateTests
{
    [Fact]
    public void GivesMeanSampleStdAndNormalInterval()
    {
        var e = MeanEstimate.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(4, e.Count);
        Assert.Equal(2.5, e.Mean, 14);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), e.StdDev, 14);
        double half = 1.959963984540054 * Math.Sqrt(5.0 / 3.0) / 2;
        Assert.Equal(2.5 - half, e.Interval.Low, 12);
        Assert.Equal(2.5 + half, e.Interval.High, 12);
    }

    [Fact]
    public void HandlesZeroAndOneValue()
    {
        Assert.Equal(new MeanEstimate(0, 0, 0, new ConfidenceInterval(0, 0)), MeanEstimate.Of([]));
        Assert.Equal(new MeanEstimate(1, 0.5, 0, new ConfidenceInterval(0.5, 0.5)), MeanEstimate.Of([0.5]));
    }
}
