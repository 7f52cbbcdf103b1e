using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>
/// Fused loops over one row that TensorPrimitives has no single call for (the normalisation backward
/// passes). Same width ladder as <see cref="VectorDriver"/>: 512 → 256 → 128 → scalar. Callers check lengths.
/// </summary>
internal static class FusedRowOps
{
    /// <summary>Σ a·b·c.</summary>
    public static float Dot3(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c)
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        nuint n = (nuint)a.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
                acc = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref ar, i) * Vector512.LoadUnsafe(ref br, i), Vector512.LoadUnsafe(ref cr, i), acc);
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
                acc = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref ar, i) * Vector256.LoadUnsafe(ref br, i), Vector256.LoadUnsafe(ref cr, i), acc);
            sum += Vector256.Sum(acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
                acc = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref ar, i) * Vector128.LoadUnsafe(ref br, i), Vector128.LoadUnsafe(ref cr, i), acc);
            sum += Vector128.Sum(acc);
        }
        for (; i < n; i++)
            sum += Unsafe.Add(ref ar, i) * Unsafe.Add(ref br, i) * Unsafe.Add(ref cr, i);
        return sum;
    }

    /// <summary>dx += r·dy·w − c·x + d (the shared shape of the RMSNorm and LayerNorm input gradients).</summary>
    public static void NormDx(ReadOnlySpan<float> dy, ReadOnlySpan<float> w, ReadOnlySpan<float> x, float r, float c, float d, Span<float> dx)
    {
        ref float dyr = ref MemoryMarshal.GetReference(dy);
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dxr = ref MemoryMarshal.GetReference(dx);
        nuint n = (nuint)dy.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vr = Vector512.Create(r); var vc = Vector512.Create(-c); var vd = Vector512.Create(d);
            for (; i + 16 <= n; i += 16)
            {
                var t = Vector512.MultiplyAddEstimate(vc, Vector512.LoadUnsafe(ref xr, i), vd);
                t = Vector512.MultiplyAddEstimate(vr * Vector512.LoadUnsafe(ref dyr, i), Vector512.LoadUnsafe(ref wr, i), t);
                (Vector512.LoadUnsafe(ref dxr, i) + t).StoreUnsafe(ref dxr, i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vr = Vector256.Create(r); var vc = Vector256.Create(-c); var vd = Vector256.Create(d);
            for (; i + 8 <= n; i += 8)
            {
                var t = Vector256.MultiplyAddEstimate(vc, Vector256.LoadUnsafe(ref xr, i), vd);
                t = Vector256.MultiplyAddEstimate(vr * Vector256.LoadUnsafe(ref dyr, i), Vector256.LoadUnsafe(ref wr, i), t);
                (Vector256.LoadUnsafe(ref dxr, i) + t).StoreUnsafe(ref dxr, i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var vr = Vector128.Create(r); var vc = Vector128.Create(-c); var vd = Vector128.Create(d);
            for (; i + 4 <= n; i += 4)
            {
                var t = Vector128.MultiplyAddEstimate(vc, Vector128.LoadUnsafe(ref xr, i), vd);
                t = Vector128.MultiplyAddEstimate(vr * Vector128.LoadUnsafe(ref dyr, i), Vector128.LoadUnsafe(ref wr, i), t);
                (Vector128.LoadUnsafe(ref dxr, i) + t).StoreUnsafe(ref dxr, i);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref dxr, i) += r * Unsafe.Add(ref dyr, i) * Unsafe.Add(ref wr, i) - c * Unsafe.Add(ref xr, i) + d;
    }

    /// <summary>dst += a·(s·b + t) (the norm weight gradient: dw += dy·x̂ with x̂ = s·x + t).</summary>
    public static void AccumulateAffineProduct(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float s, float t, Span<float> dst)
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float dr = ref MemoryMarshal.GetReference(dst);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s); var vt = Vector512.Create(t);
            for (; i + 16 <= n; i += 16)
            {
                var xhat = Vector512.MultiplyAddEstimate(vs, Vector512.LoadUnsafe(ref br, i), vt);
                Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref ar, i), xhat, Vector512.LoadUnsafe(ref dr, i)).StoreUnsafe(ref dr, i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s); var vt = Vector256.Create(t);
            for (; i + 8 <= n; i += 8)
            {
                var xhat = Vector256.MultiplyAddEstimate(vs, Vector256.LoadUnsafe(ref br, i), vt);
                Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref ar, i), xhat, Vector256.LoadUnsafe(ref dr, i)).StoreUnsafe(ref dr, i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var vs = Vector128.Create(s); var vt = Vector128.Create(t);
            for (; i + 4 <= n; i += 4)
            {
                var xhat = Vector128.MultiplyAddEstimate(vs, Vector128.LoadUnsafe(ref br, i), vt);
                Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref ar, i), xhat, Vector128.LoadUnsafe(ref dr, i)).StoreUnsafe(ref dr, i);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref dr, i) += Unsafe.Add(ref ar, i) * (s * Unsafe.Add(ref br, i) + t);
    }
}
