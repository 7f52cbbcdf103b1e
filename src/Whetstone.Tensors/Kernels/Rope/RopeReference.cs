namespace Whetstone.Tensors.Kernels;

/// <summary>Plain-loop reference for <see cref="RopeKernel"/>.</summary>
internal static class RopeReference
{
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<int> positions, int nHeads, int headDim,
        ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        int half = headDim / 2;
        for (int t = 0; t < positions.Length; t++)
            for (int h = 0; h < nHeads; h++)
            {
                int o = (t * nHeads + h) * headDim, p = RopeKernel.CheckPosition(positions, t, cos.Length / half) * half;
                for (int i = 0; i < half; i++)
                {
                    float a = x[o + i], b = x[o + i + half];
                    y[o + i] = a * cos[p + i] - b * sin[p + i];
                    y[o + i + half] = b * cos[p + i] + a * sin[p + i];
                }
            }
    }

    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<int> positions, int nHeads, int headDim,
        ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        int half = headDim / 2;
        for (int t = 0; t < positions.Length; t++)
            for (int h = 0; h < nHeads; h++)
            {
                int o = (t * nHeads + h) * headDim, p = RopeKernel.CheckPosition(positions, t, cos.Length / half) * half;
                for (int i = 0; i < half; i++)
                {
                    float a = dy[o + i], b = dy[o + i + half];
                    dx[o + i] += a * cos[p + i] + b * sin[p + i];
                    dx[o + i + half] += b * cos[p + i] - a * sin[p + i];
                }
            }
    }
}
