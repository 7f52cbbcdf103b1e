namespace Whetstone.Tensors.Kernels;

/// <summary>Plain-loop reference for <see cref="SiluKernel"/>, computed in double.</summary>
internal static class SiluReference
{
    internal static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = (float)(x[i] * Sigmoid(x[i]));
    }

    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++)
        {
            double s = Sigmoid(x[i]);
            dx[i] += (float)(dy[i] * s * (1 + x[i] * (1 - s)));
        }
    }
}

/// <summary>Plain-loop reference for <see cref="SwiGluKernel"/>, computed in double.</summary>
internal static class SwiGluReference
{
    public static void Forward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = (float)(gate[i] * SiluReference.Sigmoid(gate[i]) * up[i]);
    }

    public static void Backward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, ReadOnlySpan<float> dy, Span<float> dgate, Span<float> dup)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            double g = gate[i], s = SiluReference.Sigmoid(g);
            if (!dgate.IsEmpty) dgate[i] += (float)(dy[i] * up[i] * s * (1 + g * (1 - s)));
            if (!dup.IsEmpty) dup[i] += (float)(dy[i] * g * s);
        }
    }
}

/// <summary>Plain-loop reference for <see cref="GeluTanhKernel"/>, computed in double.</summary>
internal static class GeluTanhReference
{
    private static readonly double K = Math.Sqrt(2 / Math.PI);

    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1 + Math.Tanh(K * (v + 0.044715 * v * v * v))));
        }
    }

    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++)
        {
            double v = x[i], t = Math.Tanh(K * (v + 0.044715 * v * v * v));
            dx[i] += (float)(dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * K * (1 + 3 * 0.044715 * v * v)));
        }
    }
}

/// <summary>Plain-loop reference for <see cref="GeluErfKernel"/>, in double with the same erf approximation.</summary>
internal static class GeluErfReference
{
    // Abramowitz & Stegun 7.1.26, evaluated in double.
    internal static double Erf(double x)
    {
        double ax = Math.Abs(x), t = 1 / (1 + 0.3275911 * ax);
        double poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
        return Math.CopySign(1 - poly * Math.Exp(-ax * ax), x);
    }

    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = (float)(0.5 * x[i] * (1 + Erf(x[i] / Math.Sqrt(2))));
    }

    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++)
        {
            double v = x[i];
            dx[i] += (float)(dy[i] * (0.5 * (1 + Erf(v / Math.Sqrt(2))) + v * Math.Exp(-0.5 * v * v) / Math.Sqrt(2 * Math.PI)));
        }
    }
}
