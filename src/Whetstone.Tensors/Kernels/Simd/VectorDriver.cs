// Each driver is the same loop written at 512, 256 and 128 bits, then a scalar tail.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>
/// Runs element-wise operators over spans: Vector512 while 16 elements remain (where the CPU
/// accelerates it), then Vector256, then Vector128, then scalar for the last few. An output may be
/// the same span as an input (exact overlap): each element is read before its own slot is written and
/// no element is processed twice (no overlapping-tail trick), so accumulating drivers stay correct.
/// Reductions keep one accumulator per width and add them in a fixed order: deterministic for a
/// given length on a given machine. Callers check lengths.
/// </summary>
internal static class VectorDriver
{
    /// <summary>y = f(x).</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y) where TOp : struct, IUnaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref xr, i));
                f.StoreUnsafe(ref yr, i);
            }
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref xr, i));
                f.StoreUnsafe(ref yr, i);
            }
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref xr, i));
                f.StoreUnsafe(ref yr, i);
            }
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref xr, i));
            Unsafe.Add(ref yr, i) = f;
        }
    }

    /// <summary>y += f(x).</summary>
    public static void MapAdd<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y) where TOp : struct, IUnaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref xr, i));
                (Vector512.LoadUnsafe(ref yr, i) + f).StoreUnsafe(ref yr, i);
            }
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref xr, i));
                (Vector256.LoadUnsafe(ref yr, i) + f).StoreUnsafe(ref yr, i);
            }
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref xr, i));
                (Vector128.LoadUnsafe(ref yr, i) + f).StoreUnsafe(ref yr, i);
            }
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref xr, i));
            Unsafe.Add(ref yr, i) += f;
        }
    }

    /// <summary>y = f(x); returns Σ y.</summary>
    public static float MapSum<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y) where TOp : struct, IUnaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref xr, i));
                f.StoreUnsafe(ref yr, i);
                acc += f;
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref xr, i));
                f.StoreUnsafe(ref yr, i);
                acc += f;
            }
            sum += Vector256.Sum(acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref xr, i));
                f.StoreUnsafe(ref yr, i);
                acc += f;
            }
            sum += Vector128.Sum(acc);
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref xr, i));
            Unsafe.Add(ref yr, i) = f;
            sum += f;
        }
        return sum;
    }

    /// <summary>Returns Σ f(x).</summary>
    public static float Sum<TOp>(TOp op, ReadOnlySpan<float> x) where TOp : struct, IUnaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref xr, i));
                acc += f;
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref xr, i));
                acc += f;
            }
            sum += Vector256.Sum(acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref xr, i));
                acc += f;
            }
            sum += Vector128.Sum(acc);
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref xr, i));
            sum += f;
        }
        return sum;
    }

    /// <summary>y = f(a, b).</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where TOp : struct, IBinaryOperator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i));
                f.StoreUnsafe(ref yr, i);
            }
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i));
                f.StoreUnsafe(ref yr, i);
            }
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i));
                f.StoreUnsafe(ref yr, i);
            }
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
            Unsafe.Add(ref yr, i) = f;
        }
    }

    /// <summary>y += f(a, b).</summary>
    public static void MapAdd<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where TOp : struct, IBinaryOperator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i));
                (Vector512.LoadUnsafe(ref yr, i) + f).StoreUnsafe(ref yr, i);
            }
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i));
                (Vector256.LoadUnsafe(ref yr, i) + f).StoreUnsafe(ref yr, i);
            }
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i));
                (Vector128.LoadUnsafe(ref yr, i) + f).StoreUnsafe(ref yr, i);
            }
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
            Unsafe.Add(ref yr, i) += f;
        }
    }

    /// <summary>Returns Σ f(a, b).</summary>
    public static float Sum<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b) where TOp : struct, IBinaryOperator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i));
                acc += f;
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i));
                acc += f;
            }
            sum += Vector256.Sum(acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i));
                acc += f;
            }
            sum += Vector128.Sum(acc);
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
            sum += f;
        }
        return sum;
    }

    /// <summary>y = f(a, b, c).</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> y) where TOp : struct, ITernaryOperator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i), Vector512.LoadUnsafe(ref cr, i));
                f.StoreUnsafe(ref yr, i);
            }
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i), Vector256.LoadUnsafe(ref cr, i));
                f.StoreUnsafe(ref yr, i);
            }
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i), Vector128.LoadUnsafe(ref cr, i));
                f.StoreUnsafe(ref yr, i);
            }
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i), Unsafe.Add(ref cr, i));
            Unsafe.Add(ref yr, i) = f;
        }
    }

    /// <summary>y += f(a, b, c).</summary>
    public static void MapAdd<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> y) where TOp : struct, ITernaryOperator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i), Vector512.LoadUnsafe(ref cr, i));
                (Vector512.LoadUnsafe(ref yr, i) + f).StoreUnsafe(ref yr, i);
            }
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i), Vector256.LoadUnsafe(ref cr, i));
                (Vector256.LoadUnsafe(ref yr, i) + f).StoreUnsafe(ref yr, i);
            }
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i), Vector128.LoadUnsafe(ref cr, i));
                (Vector128.LoadUnsafe(ref yr, i) + f).StoreUnsafe(ref yr, i);
            }
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i), Unsafe.Add(ref cr, i));
            Unsafe.Add(ref yr, i) += f;
        }
    }

    /// <summary>Returns Σ f(a, b, c).</summary>
    public static float Sum<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c) where TOp : struct, ITernaryOperator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        nuint n = (nuint)a.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var f = op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i), Vector512.LoadUnsafe(ref cr, i));
                acc += f;
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var f = op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i), Vector256.LoadUnsafe(ref cr, i));
                acc += f;
            }
            sum += Vector256.Sum(acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var f = op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i), Vector128.LoadUnsafe(ref cr, i));
                acc += f;
            }
            sum += Vector128.Sum(acc);
        }
        for (; i < n; i++)
        {
            float f = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i), Unsafe.Add(ref cr, i));
            sum += f;
        }
        return sum;
    }
}
