using Whetstone.Tensors.Kernels.Simd;
using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// <see cref="VectorDriver"/>'s maps, split over <see cref="ComputePool"/> in fixed chunks of
/// <see cref="KernelPartition.ElementChunk"/> elements when the call is large. Chunk edges fall on vector
/// boundaries, so every element goes through the same code path as in one unsplit call: bit-identical results.
/// </summary>
internal static unsafe class ParallelMap
{
    /// <summary>y = op(x), or y += op(x) when <paramref name="accumulate"/>.</summary>
    public static void Unary<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y, bool accumulate) where TOp : struct, IUnaryOperator
    {
        int chunks = KernelPartition.ElementChunkCount(x.Length, accumulate ? 3 : 2);
        if (chunks == 1)
        {
            if (accumulate) VectorDriver.MapAdd(op, x, y);
            else VectorDriver.Map(op, x, y);
            return;
        }
        fixed (float* px = x, py = y)
            ComputePool.For(chunks, new UnaryBody<TOp> { Op = op, X = px, Y = py, Length = x.Length, Accumulate = accumulate });
    }

    /// <summary>y = op(a, b), or y += op(a, b) when <paramref name="accumulate"/>.</summary>
    public static void Binary<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, bool accumulate) where TOp : struct, IBinaryOperator
    {
        int chunks = KernelPartition.ElementChunkCount(a.Length, accumulate ? 4 : 3);
        if (chunks == 1)
        {
            if (accumulate) VectorDriver.MapAdd(op, a, b, y);
            else VectorDriver.Map(op, a, b, y);
            return;
        }
        fixed (float* pa = a, pb = b, py = y)
            ComputePool.For(chunks, new BinaryBody<TOp> { Op = op, A = pa, B = pb, Y = py, Length = a.Length, Accumulate = accumulate });
    }

    /// <summary>y += op(a, b, c).</summary>
    public static void TernaryAdd<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> y) where TOp : struct, ITernaryOperator
    {
        int chunks = KernelPartition.ElementChunkCount(a.Length, 5);
        if (chunks == 1) { VectorDriver.MapAdd(op, a, b, c, y); return; }
        fixed (float* pa = a, pb = b, pc = c, py = y)
            ComputePool.For(chunks, new TernaryAddBody<TOp> { Op = op, A = pa, B = pb, C = pc, Y = py, Length = a.Length });
    }

    /// <summary>Start and length of element chunk <paramref name="index"/> of a span of <paramref name="length"/> floats.</summary>
    public static (int Start, int Length) Chunk(int index, int length)
    {
        int start = index * KernelPartition.ElementChunk;
        return (start, Math.Min(KernelPartition.ElementChunk, length - start));
    }

    private struct UnaryBody<TOp> : IComputeLoopBody where TOp : struct, IUnaryOperator
    {
        public TOp Op;
        public float* X, Y;
        public int Length;
        public bool Accumulate;

        public readonly void Invoke(int index)
        {
            var (s, n) = Chunk(index, Length);
            var x = new ReadOnlySpan<float>(X + s, n);
            var y = new Span<float>(Y + s, n);
            if (Accumulate) VectorDriver.MapAdd(Op, x, y);
            else VectorDriver.Map(Op, x, y);
        }
    }

    private struct BinaryBody<TOp> : IComputeLoopBody where TOp : struct, IBinaryOperator
    {
        public TOp Op;
        public float* A, B, Y;
        public int Length;
        public bool Accumulate;

        public readonly void Invoke(int index)
        {
            var (s, n) = Chunk(index, Length);
            var a = new ReadOnlySpan<float>(A + s, n);
            var b = new ReadOnlySpan<float>(B + s, n);
            var y = new Span<float>(Y + s, n);
            if (Accumulate) VectorDriver.MapAdd(Op, a, b, y);
            else VectorDriver.Map(Op, a, b, y);
        }
    }

    private struct TernaryAddBody<TOp> : IComputeLoopBody where TOp : struct, ITernaryOperator
    {
        public TOp Op;
        public float* A, B, C, Y;
        public int Length;

        public readonly void Invoke(int index)
        {
            var (s, n) = Chunk(index, Length);
            VectorDriver.MapAdd(Op, new ReadOnlySpan<float>(A + s, n), new ReadOnlySpan<float>(B + s, n), new ReadOnlySpan<float>(C + s, n),
                new Span<float>(Y + s, n));
        }
    }
}
