using System.Numerics.Tensors;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>
/// log Σ exp(x) of one row, stable for any magnitude. Long rows (a 150k vocabulary is 600 KB) are
/// taken in L1-sized chunks: max of the chunk, then Σ exp(x − max) while the chunk is still in L1,
/// merged into a running (max, sum). So the row streams from memory once, with one exp per element.
/// </summary>
internal static class RowLogSumExp
{
    internal const int ChunkLength = 4096; // 16 KB: stays in a 32–48 KB L1 between the two passes.

    public static float Compute(ReadOnlySpan<float> x)
    {
        float runMax = float.NegativeInfinity;
        float runSum = 0f;
        for (int start = 0; start < x.Length; start += ChunkLength)
        {
            var chunk = x.Slice(start, Math.Min(ChunkLength, x.Length - start));
            float m = TensorPrimitives.Max(chunk);
            if (float.IsNaN(m)) return float.NaN;
            if (m == float.NegativeInfinity) continue; // whole chunk masked out: contributes nothing
            float s = VectorDriver.Sum(new ScaledExpOperator(1f, m), chunk);
            if (m > runMax)
            {
                runSum = runSum * MathF.Exp(runMax - m) + s;
                runMax = m;
            }
            else
            {
                runSum += s * MathF.Exp(m - runMax);
            }
        }
        return runMax + MathF.Log(runSum);
    }
}
