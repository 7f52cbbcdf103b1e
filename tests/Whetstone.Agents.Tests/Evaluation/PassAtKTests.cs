using System.Numerics;
using Whetstone.Agents.Evaluation;

namespace Whetstone.Agents.Tests.Evaluation;

public class PassAtKTests
{
    // Brute force: over every k-subset of n samples (c of them successes), the fraction that holds a success.
    private static double BruteForce(int n, int c, int k)
    {
        int hits = 0, subsets = 0;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            if (BitOperations.PopCount((uint)mask) != k) continue;
            subsets++;
            if ((mask & ((1 << c) - 1)) != 0) hits++; // samples 0 … c−1 are the successes
        }
        return (double)hits / subsets;
    }

    [Fact]
    public void MatchesBruteForceEnumerationOfSubsets()
    {
        for (int n = 1; n <= 12; n++)
            for (int c = 0; c <= n; c++)
                for (int k = 1; k <= n; k++)
                    Assert.Equal(BruteForce(n, c, k), PassAtK.Estimate(n, c, k), 12);
    }

    private static BigInteger Binomial(int n, int k)
    {
        if (k < 0 || k > n) return BigInteger.Zero;
        BigInteger r = BigInteger.One;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }

    [Theory]
    [InlineData(200, 3, 100)]
    [InlineData(1000, 17, 10)]
    [InlineData(500, 1, 1)]
    [InlineData(300, 250, 40)]
    public void IsStableWhereTheBinomialsOverflowDoubles(int n, int c, int k)
    {
        // Exact 1 − C(n−c,k)/C(n,k) with big integers, scaled to 1e-15 resolution.
        var scale = BigInteger.Pow(10, 15);
        double exact = 1 - (double)(Binomial(n - c, k) * scale / Binomial(n, k)) / 1e15;
        Assert.Equal(exact, PassAtK.Estimate(n, c, k), 12);
    }

    [Fact]
    public void PassAt1IsTheSuccessFraction()
    {
        Assert.Equal(0.3, PassAtK.Estimate(10, 3, 1), 14);
        Assert.Equal(1.0, PassAtK.Estimate(10, 8, 3));
        Assert.Equal(0.0, PassAtK.Estimate(10, 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 1, 5));
    }
}
