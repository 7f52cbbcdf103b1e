using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Models.Lora;

/// <summary>
/// The inference-path LoRA delta: output (rows, n) += scaling·(x (rows, k)·Aᵀ)·Bᵀ with A (r, k), B (n, r).
/// Decode-sized batches use single-threaded dot products (a parallel GEMM of a 1×16 result costs more in thread
/// hand-offs than in arithmetic); prefill-sized batches use the packed GEMM.
/// </summary>
internal static class LoraDelta
{
    /// <summary>Above this many rows the GEMM path is used.</summary>
    public const int MaxDotRows = 32;

    /// <summary>Plain triple loops, the reference the fast paths are tested against.</summary>
    public static void AddReference(ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float scaling,
        Span<float> output, int rows, int k, int n, int r)
    {
        var h = new float[r];
        for (int row = 0; row < rows; row++)
        {
            for (int j = 0; j < r; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++) s += x[row * k + p] * a[j * k + p];
                h[j] = s;
            }
            for (int o = 0; o < n; o++)
            {
                float s = 0;
                for (int j = 0; j < r; j++) s += h[j] * b[o * r + j];
                output[row * n + o] += scaling * s;
            }
        }
    }

    /// <summary>Dispatches on the row count; <paramref name="scratch"/> holds at least rows·r floats.</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float scaling,
        Span<float> output, int rows, int k, int n, int r, Span<float> scratch)
    {
        var h = scratch[..(rows * r)];
        if (rows <= MaxDotRows)
        {
            for (int row = 0; row < rows; row++)
            {
                var xr = x.Slice(row * k, k);
                var hr = h.Slice(row * r, r);
                for (int j = 0; j < r; j++) hr[j] = scaling * TensorPrimitives.Dot(xr, a.Slice(j * k, k));
                var yr = output.Slice(row * n, n);
                for (int o = 0; o < n; o++) yr[o] += TensorPrimitives.Dot(hr, b.Slice(o * r, r));
            }
            return;
        }
        // h (rows, r) = x·Aᵀ; output (rows, n) += scaling·h·Bᵀ.
        Gemm.Multiply(Transpose.None, Transpose.Transposed, rows, r, k, 1f, x[..(rows * k)], k, a, k, 0f, h, r);
        Gemm.Multiply(Transpose.None, Transpose.Transposed, rows, n, r, scaling, h, r, b, r, 1f, output[..(rows * n)], n);
    }
}
