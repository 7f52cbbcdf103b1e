namespace Whetstone.Tensors.Tests.Kernels;

/// <summary>Seeded random inputs, closeness checks and a central finite-difference gradient for the kernel tests.</summary>
internal static class KernelTestData
{
    /// <summary>Lengths that hit every vector width and every tail (16, 8, 4-wide vectors and the scalar rest).</summary>
    public static TheoryData<int> Sizes => new() { 1, 3, 7, 15, 17, 33, 100, 1000 };

    public static float[] Uniform(int seed, int n, float lo = -1f, float hi = 1f)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * (float)rng.NextDouble();
        return a;
    }

    public static int[] Ids(int seed, int n, int vocab)
    {
        var rng = new Random(seed);
        var a = new int[n];
        for (int i = 0; i < n; i++) a[i] = rng.Next(vocab);
        return a;
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol = 1e-5, double rtol = 1e-4, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) && double.IsNaN(a)) continue;
            if (Math.Abs(e - a) > atol + rtol * Math.Abs(e))
                Assert.Fail($"{what} element {i} of {expected.Length}: expected {e:R}, got {a:R} (|diff| {Math.Abs(e - a):E2})");
        }
    }

    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (Math.Abs(e - a) > atol + rtol * Math.Abs(e))
                Assert.Fail($"{what} element {i} of {expected.Length}: expected {e:R}, got {a:R} (|diff| {Math.Abs(e - a):E2})");
        }
    }

    public static void BitIdentical(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(a[i]) == BitConverter.SingleToInt32Bits(b[i]), $"element {i}: {a[i]:R} vs {b[i]:R}");
    }

    /// <summary>Σ upstream ⊙ output, in double: the scalar whose gradient a backward pass computes.</summary>
    public static double Dot(ReadOnlySpan<float> upstream, ReadOnlySpan<float> output)
    {
        double s = 0;
        for (int i = 0; i < output.Length; i++) s += (double)upstream[i] * output[i];
        return s;
    }

    /// <summary>Central differences of <paramref name="loss"/> with respect to each element of <paramref name="x"/> (x is restored).</summary>
    public static double[] NumericGradient(float[] x, Func<double> loss, float h = 1e-2f)
    {
        var g = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            float keep = x[i];
            x[i] = keep + h;
            double up = loss();
            x[i] = keep - h;
            double down = loss();
            x[i] = keep;
            g[i] = (up - down) / (2.0 * h);
        }
        return g;
    }
}
