using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;

namespace Whetstone.Tensors.Tests.Optim;

public class AdamWTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MatchesTextbookStepsWithDecoupledDecayAndBiasCorrection(bool applyDecay)
    {
        const double lr = 0.01, b1 = 0.9, b2 = 0.99, eps = 1e-8, wd = 0.1;
        const int n = 19; // spans the SIMD body and the scalar tail
        var ps = new ParameterSet();
        var p = ps.Add("p", Tensor.Zeros(new Shape(n)), applyDecay);
        var opt = new AdamW(ps, new AdamWOptions { LearningRate = (float)lr, Beta1 = (float)b1, Beta2 = (float)b2, Epsilon = (float)eps, WeightDecay = (float)wd });

        var expected = new double[n];
        var m = new double[n];
        var v = new double[n];
        for (int i = 0; i < n; i++) expected[i] = p[i] = 0.5f - 0.05f * i;

        for (int t = 1; t <= 4; t++)
        {
            var g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float)Math.Sin(0.7 * i + t) * (i % 3 == 0 ? 10f : 0.1f);
            p.Grad = Tensor.FromArray(g, new Shape(n));
            opt.Step();
            for (int i = 0; i < n; i++)
            {
                // Textbook AdamW (Loshchilov & Hutter, Algorithm 2 with η = lr):
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.Pow(b1, t));
                double vHat = v[i] / (1 - Math.Pow(b2, t));
                if (applyDecay) expected[i] -= lr * wd * expected[i];
                expected[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            for (int i = 0; i < n; i++)
            {
                // float32 state: allow a few ulps relative to the value.
                Assert.Equal(expected[i], p[i], 2e-6 * (1 + Math.Abs(expected[i])));
                Assert.Equal(m[i], opt.FirstMoment(0)[i], 2e-6 * (1 + Math.Abs(m[i])));
                Assert.Equal(v[i], opt.SecondMoment(0)[i], 2e-6 * (1 + Math.Abs(v[i])));
            }
        }
        Assert.Equal(4, opt.StepCount);
    }

    [Fact]
    public void SkipsParametersWithoutGradient()
    {
        var ps = new ParameterSet();
        var a = ps.Add("a", Tensor.Full(new Shape(3), 1f));
        var opt = new AdamW(ps);
        opt.Step();
        Assert.Equal(new float[] { 1, 1, 1 }, a.ToArray());
    }

    [Fact]
    public void InvalidOptionNamesTheField()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(new ParameterSet(), new AdamWOptions { Beta2 = 1f }));
        Assert.Contains("Beta2", ex.Message);
    }
}
