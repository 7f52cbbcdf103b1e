using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Rotary position embedding, Hugging Face rotate-half convention. Layout: x, y, dy, dx: (T, nHeads, headDim),
/// i.e. the output of the q/k projection without a transpose; positions: (T), the absolute position of each
/// row (prefill: offset..offset+T−1; batched decode: one row per sequence, each with its own position).
/// cos, sin: (maxPositions, headDim/2) from <see cref="RopeTables.Build"/>. For i &lt; h = headDim/2:
/// y[i] = x[i]·cos − x[i+h]·sin, y[i+h] = x[i+h]·cos + x[i]·sin.
/// </summary>
public static class RopeKernel
{
    /// <summary>Applies the rotation. y may be x (in place).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<int> positions, int nHeads, int headDim,
        ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        Check(x.Length, y.Length, positions.Length, nHeads, headDim, cos.Length, sin.Length, nameof(x), nameof(y));
        Run(x, y, positions, nHeads, headDim, cos, sin, sinSign: 1f, accumulate: false);
    }

    /// <summary>dx += Rᵀ·dy: the inverse rotation (sin negated), accumulated.</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<int> positions, int nHeads, int headDim,
        ReadOnlySpan<float> cos, ReadOnlySpan<float> sin)
    {
        Check(dy.Length, dx.Length, positions.Length, nHeads, headDim, cos.Length, sin.Length, nameof(dy), nameof(dx));
        Run(dy, dx, positions, nHeads, headDim, cos, sin, sinSign: -1f, accumulate: true);
    }

    private static void Run(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<int> positions, int nHeads, int headDim,
        ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, float sinSign, bool accumulate)
    {
        int half = headDim / 2;
        int maxPositions = cos.Length / half;
        for (int t = 0; t < positions.Length; t++)
        {
            int pos = CheckPosition(positions, t, maxPositions);
            var c = cos.Slice(pos * half, half);
            var s = sin.Slice(pos * half, half);
            for (int h = 0; h < nHeads; h++)
            {
                int o = (t * nHeads + h) * headDim;
                RotateHead(x.Slice(o, headDim), y.Slice(o, headDim), c, s, sinSign, accumulate);
            }
        }
    }

    // One head: y1 = x1·c − x2·(σs), y2 = x2·c + x1·(σs), optionally added to y. Both halves are read before
    // either is written, so y may alias x.
    private static void RotateHead(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> c, ReadOnlySpan<float> s, float sign, bool accumulate)
    {
        int half = c.Length;
        ref float x1 = ref MemoryMarshal.GetReference(x);
        ref float x2 = ref Unsafe.Add(ref x1, half);
        ref float y1 = ref MemoryMarshal.GetReference(y);
        ref float y2 = ref Unsafe.Add(ref y1, half);
        ref float cr = ref MemoryMarshal.GetReference(c);
        ref float sr = ref MemoryMarshal.GetReference(s);
        nuint n = (nuint)half, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vsign = Vector512.Create(sign);
            for (; i + 16 <= n; i += 16)
            {
                var a = Vector512.LoadUnsafe(ref x1, i); var b = Vector512.LoadUnsafe(ref x2, i);
                var cv = Vector512.LoadUnsafe(ref cr, i); var sv = vsign * Vector512.LoadUnsafe(ref sr, i);
                var r1 = a * cv - b * sv; var r2 = b * cv + a * sv;
                if (accumulate) { r1 += Vector512.LoadUnsafe(ref y1, i); r2 += Vector512.LoadUnsafe(ref y2, i); }
                r1.StoreUnsafe(ref y1, i); r2.StoreUnsafe(ref y2, i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vsign = Vector256.Create(sign);
            for (; i + 8 <= n; i += 8)
            {
                var a = Vector256.LoadUnsafe(ref x1, i); var b = Vector256.LoadUnsafe(ref x2, i);
                var cv = Vector256.LoadUnsafe(ref cr, i); var sv = vsign * Vector256.LoadUnsafe(ref sr, i);
                var r1 = a * cv - b * sv; var r2 = b * cv + a * sv;
                if (accumulate) { r1 += Vector256.LoadUnsafe(ref y1, i); r2 += Vector256.LoadUnsafe(ref y2, i); }
                r1.StoreUnsafe(ref y1, i); r2.StoreUnsafe(ref y2, i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var vsign = Vector128.Create(sign);
            for (; i + 4 <= n; i += 4)
            {
                var a = Vector128.LoadUnsafe(ref x1, i); var b = Vector128.LoadUnsafe(ref x2, i);
                var cv = Vector128.LoadUnsafe(ref cr, i); var sv = vsign * Vector128.LoadUnsafe(ref sr, i);
                var r1 = a * cv - b * sv; var r2 = b * cv + a * sv;
                if (accumulate) { r1 += Vector128.LoadUnsafe(ref y1, i); r2 += Vector128.LoadUnsafe(ref y2, i); }
                r1.StoreUnsafe(ref y1, i); r2.StoreUnsafe(ref y2, i);
            }
        }
        for (; i < n; i++)
        {
            float a = Unsafe.Add(ref x1, i), b = Unsafe.Add(ref x2, i);
            float cv = Unsafe.Add(ref cr, i), sv = sign * Unsafe.Add(ref sr, i);
            float r1 = a * cv - b * sv, r2 = b * cv + a * sv;
            if (accumulate) { Unsafe.Add(ref y1, i) += r1; Unsafe.Add(ref y2, i) += r2; }
            else { Unsafe.Add(ref y1, i) = r1; Unsafe.Add(ref y2, i) = r2; }
        }
    }

    internal static void Check(int inLength, int outLength, int tokens, int nHeads, int headDim, int cosLength, int sinLength, string inName, string outName)
    {
        if (headDim <= 0 || headDim % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(headDim), headDim, "RoPE needs a positive, even head_dim.");
        if (nHeads <= 0)
            throw new ArgumentOutOfRangeException(nameof(nHeads), nHeads, "nHeads must be positive.");
        ShapeCheck.Rows(inLength, tokens, nHeads * headDim, inName);
        ShapeCheck.Rows(outLength, tokens, nHeads * headDim, outName);
        if (cosLength % (headDim / 2) != 0 || cosLength != sinLength)
            throw new ArgumentException($"cos ({cosLength}) and sin ({sinLength}) must both be (maxPositions, headDim/2 = {headDim / 2}).");
    }

    internal static int CheckPosition(ReadOnlySpan<int> positions, int t, int maxPositions)
    {
        int pos = positions[t];
        if ((uint)pos >= (uint)maxPositions)
            throw new ArgumentOutOfRangeException(nameof(positions), pos,
                $"Position {pos} of row {t} is outside the RoPE table of {maxPositions} positions; build larger cos/sin tables.");
        return pos;
    }
}
