using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>
/// Max of a row with the hardware max instruction (TensorPrimitives.Max also orders NaN and −0, which
/// costs twice as much). A NaN in the row may be skipped here, but the exp pass that always follows
/// turns it into a NaN sum, so softmax and logsumexp still propagate it.
/// </summary>
internal static class RowMax
{
    public static float Compute(ReadOnlySpan<float> x)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        float max = float.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var m0 = Vector512.Create(float.NegativeInfinity); var m1 = m0;
            for (; i + 32 <= n; i += 32)
            {
                m0 = Vector512.MaxNative(m0, Vector512.LoadUnsafe(ref xr, i));
                m1 = Vector512.MaxNative(m1, Vector512.LoadUnsafe(ref xr, i + 16));
            }
            for (; i + 16 <= n; i += 16)
                m0 = Vector512.MaxNative(m0, Vector512.LoadUnsafe(ref xr, i));
            max = Math.Max(max, Vector512.MaxNative(m0, m1).GetUpper().ToScalarMax());
            max = Math.Max(max, Vector512.MaxNative(m0, m1).GetLower().ToScalarMax());
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var m = Vector256.Create(float.NegativeInfinity);
            for (; i + 8 <= n; i += 8)
                m = Vector256.MaxNative(m, Vector256.LoadUnsafe(ref xr, i));
            max = Math.Max(max, m.ToScalarMax());
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var m = Vector128.Create(float.NegativeInfinity);
            for (; i + 4 <= n; i += 4)
                m = Vector128.MaxNative(m, Vector128.LoadUnsafe(ref xr, i));
            max = Math.Max(max, m.ToScalarMax());
        }
        for (; i < n; i++)
            max = Math.Max(max, Unsafe.Add(ref xr, i));
        return max;
    }

    /// <summary>
    /// y *= factor (softmax normalisation of this row) while taking the max of the next row, so the next row
    /// streams in from memory during this row's last pass. Returns the max of <paramref name="next"/>
    /// (−∞ when empty); the rows may differ in length (causal masks).
    /// </summary>
    public static float ScaleAndMaxOfNext(Span<float> y, float factor, ReadOnlySpan<float> next)
    {
        int common = Math.Min(y.Length, next.Length);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float nr = ref MemoryMarshal.GetReference(next);
        nuint n = (nuint)common, i = 0;
        float max = float.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var m = Vector512.Create(float.NegativeInfinity); var f = Vector512.Create(factor);
            for (; i + 16 <= n; i += 16)
            {
                m = Vector512.MaxNative(m, Vector512.LoadUnsafe(ref nr, i));
                (Vector512.LoadUnsafe(ref yr, i) * f).StoreUnsafe(ref yr, i);
            }
            max = Math.Max(max, m.GetLower().ToScalarMax()); max = Math.Max(max, m.GetUpper().ToScalarMax());
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var m = Vector256.Create(float.NegativeInfinity); var f = Vector256.Create(factor);
            for (; i + 8 <= n; i += 8)
            {
                m = Vector256.MaxNative(m, Vector256.LoadUnsafe(ref nr, i));
                (Vector256.LoadUnsafe(ref yr, i) * f).StoreUnsafe(ref yr, i);
            }
            max = Math.Max(max, m.ToScalarMax());
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var m = Vector128.Create(float.NegativeInfinity); var f = Vector128.Create(factor);
            for (; i + 4 <= n; i += 4)
            {
                m = Vector128.MaxNative(m, Vector128.LoadUnsafe(ref nr, i));
                (Vector128.LoadUnsafe(ref yr, i) * f).StoreUnsafe(ref yr, i);
            }
            max = Math.Max(max, m.ToScalarMax());
        }
        for (; i < n; i++)
        {
            max = Math.Max(max, Unsafe.Add(ref nr, i));
            Unsafe.Add(ref yr, i) *= factor;
        }
        if (y.Length > common) System.Numerics.Tensors.TensorPrimitives.Multiply(y[common..], factor, y[common..]);
        if (next.Length > common) max = Math.Max(max, Compute(next[common..]));
        return max;
    }

    private static float ToScalarMax(this Vector256<float> v) => Vector128.MaxNative(v.GetLower(), v.GetUpper()).ToScalarMax();

    private static float ToScalarMax(this Vector128<float> v)
    {
        float m = v.GetElement(0);
        for (int k = 1; k < 4; k++) m = Math.Max(m, v.GetElement(k));
        return m;
    }
}
