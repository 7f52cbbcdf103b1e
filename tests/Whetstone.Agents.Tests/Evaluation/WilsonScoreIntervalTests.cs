using Whetstone.Agents.Evaluation;

namespace Whetstone.Agents.Tests.Evaluation;

public class WilsonScoreIntervalTests
{
    // Reference values of the 95% Wilson interval (z = 1.96), as tabulated e.g. by Newcombe (1998), Stat. Med. 17:857.
    [Theory]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(5, 10, 0.2366, 0.7634)]
    [InlineData(8, 10, 0.4902, 0.9433)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void MatchesTabulatedValues(int successes, int trials, double low, double high)
    {
        var interval = WilsonScoreInterval.Compute(successes, trials);
        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
    }

    [Fact]
    public void IsSymmetricUnderSwappingSuccessesAndFailuresAndContainsTheRate()
    {
        for (int n = 1; n <= 40; n++)
            for (int s = 0; s <= n; s++)
            {
                var a = WilsonScoreInterval.Compute(s, n);
                var b = WilsonScoreInterval.Compute(n - s, n);
                Assert.Equal(a.Low, 1 - b.High, 12);
                Assert.InRange((double)s / n, a.Low, a.High);
                Assert.InRange(a.Low, 0, 1);
                Assert.InRange(a.High, 0, 1);
            }
    }

    [Fact]
    public void NoTrialsMeansNothingIsKnown()
    {
        Assert.Equal(new ConfidenceInterval(0, 1), WilsonScoreInterval.Compute(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonScoreInterval.Compute(3, 2));
    }
}
