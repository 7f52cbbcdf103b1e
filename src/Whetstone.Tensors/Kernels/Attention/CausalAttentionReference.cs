namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Plain-loop reference for <see cref="CausalAttentionKernel"/> (sums in double): one sequence,
/// q/out (T, H, D), k/v (T, H_kv, D), query head h reading key/value head h / (H / H_kv).
/// </summary>
internal static class CausalAttentionReference
{
    public static void Forward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output,
        int t, int heads, int kvHeads, int d, float scale)
    {
        int group = heads / kvHeads;
        var weights = new double[t];
        for (int h = 0; h < heads; h++)
        {
            int g = h / group;
            for (int i = 0; i < t; i++)
            {
                double max = double.NegativeInfinity;
                for (int j = 0; j <= i; j++)
                {
                    double s = 0;
                    for (int c = 0; c < d; c++) s += (double)q[(i * heads + h) * d + c] * k[(j * kvHeads + g) * d + c];
                    weights[j] = scale * s;
                    max = Math.Max(max, weights[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) sum += weights[j] = Math.Exp(weights[j] - max);
                for (int c = 0; c < d; c++)
                {
                    double o = 0;
                    for (int j = 0; j <= i; j++) o += weights[j] / sum * v[(j * kvHeads + g) * d + c];
                    output[(i * heads + h) * d + c] = (float)o;
                }
            }
        }
    }
}
