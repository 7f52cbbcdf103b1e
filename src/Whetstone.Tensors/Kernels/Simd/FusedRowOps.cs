using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>
/// Fused loops over one row that TensorPrimitives has no single call for (the normalisation backward
/// passes): each row is walked as few times as possible, because while a row is being re-walked in L1 the
/// next row is not streaming in from memory. Same width ladder as <see cref="VectorDriver"/>:
/// 512 → 256 → 128 → scalar. Callers check lengths.
/// </summary>
internal static class FusedRowOps
{
    /// <summary>Returns (Σ a·b, Σ a·b·c) in one pass (norm backward: Σ dy·w and Σ dy·w·x).</summary>
    public static (float Dot2, float Dot3) Dot2And3(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c)
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float cr = ref MemoryMarshal.GetReference(c);
        nuint n = (nuint)a.Length, i = 0;
        float s2 = 0f, s3 = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var a2 = Vector512<float>.Zero; var a3 = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var g = Vector512.LoadUnsafe(ref ar, i) * Vector512.LoadUnsafe(ref br, i);
                a2 += g;
                a3 = Vector512.MultiplyAddEstimate(g, Vector512.LoadUnsafe(ref cr, i), a3);
            }
            s2 += Vector512.Sum(a2); s3 += Vector512.Sum(a3);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var a2 = Vector256<float>.Zero; var a3 = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var g = Vector256.LoadUnsafe(ref ar, i) * Vector256.LoadUnsafe(ref br, i);
                a2 += g;
                a3 = Vector256.MultiplyAddEstimate(g, Vector256.LoadUnsafe(ref cr, i), a3);
            }
            s2 += Vector256.Sum(a2); s3 += Vector256.Sum(a3);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var a2 = Vector128<float>.Zero; var a3 = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var g = Vector128.LoadUnsafe(ref ar, i) * Vector128.LoadUnsafe(ref br, i);
                a2 += g;
                a3 = Vector128.MultiplyAddEstimate(g, Vector128.LoadUnsafe(ref cr, i), a3);
            }
            s2 += Vector128.Sum(a2); s3 += Vector128.Sum(a3);
        }
        for (; i < n; i++)
        {
            float g = Unsafe.Add(ref ar, i) * Unsafe.Add(ref br, i);
            s2 += g;
            s3 += g * Unsafe.Add(ref cr, i);
        }
        return (s2, s3);
    }

    /// <summary>
    /// The norm backward's element pass, fused: dx += r·dy·w − c·x + d; dw += dy·(s·x + t); db += dy.
    /// RMSNorm uses d = t = 0 and no db; an empty dx, dw or db is skipped. Software-pipelined: when
    /// nextDy/nextX (the following row) are given, it also returns their <see cref="Dot2And3"/>(nextDy, w, nextX),
    /// summed in exactly the same order, so the next row streams in while this one is written.
    /// </summary>
    public static (float Dot2, float Dot3) NormBackwardRow(ReadOnlySpan<float> dy, ReadOnlySpan<float> w, ReadOnlySpan<float> x,
        float r, float c, float d, float s, float t, Span<float> dx, Span<float> dw, Span<float> db,
        ReadOnlySpan<float> nextDy, ReadOnlySpan<float> nextX)
    {
        bool wantDx = !dx.IsEmpty, wantDw = !dw.IsEmpty, wantDb = !db.IsEmpty, hasNext = !nextDy.IsEmpty;
        ref float dyr = ref MemoryMarshal.GetReference(dy);
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dxr = ref MemoryMarshal.GetReference(dx);
        ref float dwr = ref MemoryMarshal.GetReference(dw);
        ref float dbr = ref MemoryMarshal.GetReference(db);
        ref float ndyr = ref MemoryMarshal.GetReference(nextDy);
        ref float nxr = ref MemoryMarshal.GetReference(nextX);
        nuint n = (nuint)dy.Length, i = 0;
        float s2 = 0f, s3 = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var vr = Vector512.Create(r); var vc = Vector512.Create(-c); var vd = Vector512.Create(d); var vs = Vector512.Create(s); var vt = Vector512.Create(t);
            var a2 = Vector512<float>.Zero; var a3 = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var vdy = Vector512.LoadUnsafe(ref dyr, i); var vx = Vector512.LoadUnsafe(ref xr, i); var vw = Vector512.LoadUnsafe(ref wr, i);
                if (wantDx)
                {
                    var g = Vector512.MultiplyAddEstimate(vc, vx, vd);
                    g = Vector512.MultiplyAddEstimate(vr * vdy, vw, g);
                    (Vector512.LoadUnsafe(ref dxr, i) + g).StoreUnsafe(ref dxr, i);
                }
                if (wantDw)
                    Vector512.MultiplyAddEstimate(vdy, Vector512.MultiplyAddEstimate(vs, vx, vt), Vector512.LoadUnsafe(ref dwr, i)).StoreUnsafe(ref dwr, i);
                if (wantDb)
                    (Vector512.LoadUnsafe(ref dbr, i) + vdy).StoreUnsafe(ref dbr, i);
                if (hasNext)
                {
                    var ng = Vector512.LoadUnsafe(ref ndyr, i) * vw;
                    a2 += ng;
                    a3 = Vector512.MultiplyAddEstimate(ng, Vector512.LoadUnsafe(ref nxr, i), a3);
                }
            }
            s2 += Vector512.Sum(a2); s3 += Vector512.Sum(a3);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var vr = Vector256.Create(r); var vc = Vector256.Create(-c); var vd = Vector256.Create(d); var vs = Vector256.Create(s); var vt = Vector256.Create(t);
            var a2 = Vector256<float>.Zero; var a3 = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var vdy = Vector256.LoadUnsafe(ref dyr, i); var vx = Vector256.LoadUnsafe(ref xr, i); var vw = Vector256.LoadUnsafe(ref wr, i);
                if (wantDx)
                {
                    var g = Vector256.MultiplyAddEstimate(vc, vx, vd);
                    g = Vector256.MultiplyAddEstimate(vr * vdy, vw, g);
                    (Vector256.LoadUnsafe(ref dxr, i) + g).StoreUnsafe(ref dxr, i);
                }
                if (wantDw)
                    Vector256.MultiplyAddEstimate(vdy, Vector256.MultiplyAddEstimate(vs, vx, vt), Vector256.LoadUnsafe(ref dwr, i)).StoreUnsafe(ref dwr, i);
                if (wantDb)
                    (Vector256.LoadUnsafe(ref dbr, i) + vdy).StoreUnsafe(ref dbr, i);
                if (hasNext)
                {
                    var ng = Vector256.LoadUnsafe(ref ndyr, i) * vw;
                    a2 += ng;
                    a3 = Vector256.MultiplyAddEstimate(ng, Vector256.LoadUnsafe(ref nxr, i), a3);
                }
            }
            s2 += Vector256.Sum(a2); s3 += Vector256.Sum(a3);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var vr = Vector128.Create(r); var vc = Vector128.Create(-c); var vd = Vector128.Create(d); var vs = Vector128.Create(s); var vt = Vector128.Create(t);
            var a2 = Vector128<float>.Zero; var a3 = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var vdy = Vector128.LoadUnsafe(ref dyr, i); var vx = Vector128.LoadUnsafe(ref xr, i); var vw = Vector128.LoadUnsafe(ref wr, i);
                if (wantDx)
                {
                    var g = Vector128.MultiplyAddEstimate(vc, vx, vd);
                    g = Vector128.MultiplyAddEstimate(vr * vdy, vw, g);
                    (Vector128.LoadUnsafe(ref dxr, i) + g).StoreUnsafe(ref dxr, i);
                }
                if (wantDw)
                    Vector128.MultiplyAddEstimate(vdy, Vector128.MultiplyAddEstimate(vs, vx, vt), Vector128.LoadUnsafe(ref dwr, i)).StoreUnsafe(ref dwr, i);
                if (wantDb)
                    (Vector128.LoadUnsafe(ref dbr, i) + vdy).StoreUnsafe(ref dbr, i);
                if (hasNext)
                {
                    var ng = Vector128.LoadUnsafe(ref ndyr, i) * vw;
                    a2 += ng;
                    a3 = Vector128.MultiplyAddEstimate(ng, Vector128.LoadUnsafe(ref nxr, i), a3);
                }
            }
            s2 += Vector128.Sum(a2); s3 += Vector128.Sum(a3);
        }
        for (; i < n; i++)
        {
            float vdy = Unsafe.Add(ref dyr, i), vx = Unsafe.Add(ref xr, i), vw = Unsafe.Add(ref wr, i);
            if (wantDx) Unsafe.Add(ref dxr, i) += r * vdy * vw - c * vx + d;
            if (wantDw) Unsafe.Add(ref dwr, i) += vdy * (s * vx + t);
            if (wantDb) Unsafe.Add(ref dbr, i) += vdy;
            if (hasNext)
            {
                float g = Unsafe.Add(ref ndyr, i) * vw;
                s2 += g;
                s3 += g * Unsafe.Add(ref nxr, i);
            }
        }
        return (s2, s3);
    }

    /// <summary>Σ x².</summary>
    public static float SumSquares(ReadOnlySpan<float> x)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref xr, i);
                acc = Vector512.MultiplyAddEstimate(v, v, acc);
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref xr, i);
                acc = Vector256.MultiplyAddEstimate(v, v, acc);
            }
            sum += Vector256.Sum(acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var v = Vector128.LoadUnsafe(ref xr, i);
                acc = Vector128.MultiplyAddEstimate(v, v, acc);
            }
            sum += Vector128.Sum(acc);
        }
        for (; i < n; i++)
            sum += Unsafe.Add(ref xr, i) * Unsafe.Add(ref xr, i);
        return sum;
    }

    /// <summary>
    /// Software-pipelined RMSNorm step: writes y = (x·r)·w for this row while summing the squares of the next
    /// row, so the next row streams in from memory while this one is written (one pass with two streams
    /// instead of two passes with one). Returns Σ next², summed exactly as <see cref="SumSquares"/> does.
    /// y may be x; next must be the same length.
    /// </summary>
    public static float RmsOutputAndNextSumSquares(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float r, Span<float> y, ReadOnlySpan<float> next)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float nr = ref MemoryMarshal.GetReference(next);
        nuint n = (nuint)x.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var acc = Vector512<float>.Zero; var vr = Vector512.Create(r);
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref nr, i);
                acc = Vector512.MultiplyAddEstimate(v, v, acc);
                (Vector512.LoadUnsafe(ref xr, i) * vr * Vector512.LoadUnsafe(ref wr, i)).StoreUnsafe(ref yr, i);
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero; var vr = Vector256.Create(r);
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref nr, i);
                acc = Vector256.MultiplyAddEstimate(v, v, acc);
                (Vector256.LoadUnsafe(ref xr, i) * vr * Vector256.LoadUnsafe(ref wr, i)).StoreUnsafe(ref yr, i);
            }
            sum += Vector256.Sum(acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var acc = Vector128<float>.Zero; var vr = Vector128.Create(r);
            for (; i + 4 <= n; i += 4)
            {
                var v = Vector128.LoadUnsafe(ref nr, i);
                acc = Vector128.MultiplyAddEstimate(v, v, acc);
                (Vector128.LoadUnsafe(ref xr, i) * vr * Vector128.LoadUnsafe(ref wr, i)).StoreUnsafe(ref yr, i);
            }
            sum += Vector128.Sum(acc);
        }
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref nr, i);
            sum += v * v;
            Unsafe.Add(ref yr, i) = Unsafe.Add(ref xr, i) * r * Unsafe.Add(ref wr, i);
        }
        return sum;
    }

    /// <summary>Σ x (the LayerNorm mean's pass; same order as <see cref="LayerNormOutputAndNextSum"/>).</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                acc += Vector512.LoadUnsafe(ref xr, i);
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                acc += Vector256.LoadUnsafe(ref xr, i);
            }
            sum += Vector256.Sum(acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                acc += Vector128.LoadUnsafe(ref xr, i);
            }
            sum += Vector128.Sum(acc);
        }
        for (; i < n; i++)
            sum += Unsafe.Add(ref xr, i);
        return sum;
    }

    /// <summary>
    /// Software-pipelined LayerNorm step: writes y = (x − m)·r·w + b for this row while summing the next row
    /// (returned, summed as <see cref="Sum"/> does). y may be x.
    /// </summary>
    public static float LayerNormOutputAndNextSum(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, float m, float r,
        Span<float> y, ReadOnlySpan<float> next)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float nr = ref MemoryMarshal.GetReference(next);
        nuint n = (nuint)x.Length, i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n - i >= 16)
        {
            var acc = Vector512<float>.Zero; var vm = Vector512.Create(m); var vr = Vector512.Create(r);
            for (; i + 16 <= n; i += 16)
            {
                acc += Vector512.LoadUnsafe(ref nr, i);
                Vector512.MultiplyAddEstimate((Vector512.LoadUnsafe(ref xr, i) - vm) * vr, Vector512.LoadUnsafe(ref wr, i), Vector512.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
            }
            sum += Vector512.Sum(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var acc = Vector256<float>.Zero; var vm = Vector256.Create(m); var vr = Vector256.Create(r);
            for (; i + 8 <= n; i += 8)
            {
                acc += Vector256.LoadUnsafe(ref nr, i);
                Vector256.MultiplyAddEstimate((Vector256.LoadUnsafe(ref xr, i) - vm) * vr, Vector256.LoadUnsafe(ref wr, i), Vector256.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
            }
            sum += Vector256.Sum(acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var acc = Vector128<float>.Zero; var vm = Vector128.Create(m); var vr = Vector128.Create(r);
            for (; i + 4 <= n; i += 4)
            {
                acc += Vector128.LoadUnsafe(ref nr, i);
                Vector128.MultiplyAddEstimate((Vector128.LoadUnsafe(ref xr, i) - vm) * vr, Vector128.LoadUnsafe(ref wr, i), Vector128.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
            }
            sum += Vector128.Sum(acc);
        }
        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref nr, i);
            Unsafe.Add(ref yr, i) = (Unsafe.Add(ref xr, i) - m) * r * Unsafe.Add(ref wr, i) + Unsafe.Add(ref br, i);
        }
        return sum;
    }
}
