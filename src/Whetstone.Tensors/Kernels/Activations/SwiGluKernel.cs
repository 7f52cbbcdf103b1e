using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Whetstone.Tensors.Kernels.Simd;

using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// SwiGLU as in the Llama/Qwen MLP: y = silu(gate) ⊙ up. gate, up, y, dy, dgate, dup: same length
/// (tokens × intermediate); y may be gate or up.
/// </summary>
public static unsafe class SwiGluKernel
{
    /// <summary>y = silu(gate) ⊙ up.</summary>
    public static void Forward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> y)
    {
        ShapeCheck.SameLength(gate.Length, up.Length, nameof(gate), nameof(up));
        ShapeCheck.SameLength(gate.Length, y.Length, nameof(gate), nameof(y));
        ParallelMap.Binary(new SwiGluOperator(), gate, up, y, accumulate: false);
    }

    /// <summary>
    /// dgate += dy ⊙ up ⊙ silu'(gate); dup += dy ⊙ silu(gate). Either gradient may be empty when not wanted.
    /// Both together run as one fused pass (σ computed once).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, ReadOnlySpan<float> dy, Span<float> dgate, Span<float> dup)
    {
        ShapeCheck.SameLength(gate.Length, up.Length, nameof(gate), nameof(up));
        ShapeCheck.SameLength(gate.Length, dy.Length, nameof(gate), nameof(dy));
        bool wantGate = ShapeCheck.Optional(dgate.Length, gate.Length, nameof(dgate));
        bool wantUp = ShapeCheck.Optional(dup.Length, gate.Length, nameof(dup));
        if (wantGate && wantUp) FusedParallel(gate, up, dy, dgate, dup);
        else if (wantGate) ParallelMap.TernaryAdd(new SwiGluGateGradOperator(), gate, up, dy, dgate);
        else if (wantUp) ParallelMap.Binary(new SwiGluOperator(), gate, dy, dup, accumulate: true);
    }

    // The fused pass in fixed element chunks (see ParallelMap): the same arithmetic per element for any thread count.
    private static void FusedParallel(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, ReadOnlySpan<float> dy, Span<float> dgate, Span<float> dup)
    {
        int chunks = KernelPartition.ElementChunkCount(gate.Length, 7);
        if (chunks == 1) { Fused(gate, up, dy, dgate, dup); return; }
        fixed (float* pg = gate, pu = up, pdy = dy, pdg = dgate, pdu = dup)
            ComputePool.For(chunks, new FusedBody { Gate = pg, Up = pu, Dy = pdy, DGate = pdg, DUp = pdu, Length = gate.Length });
    }

    private struct FusedBody : IComputeLoopBody
    {
        public float* Gate, Up, Dy, DGate, DUp;
        public int Length;

        public readonly void Invoke(int index)
        {
            var (s, n) = ParallelMap.Chunk(index, Length);
            Fused(new ReadOnlySpan<float>(Gate + s, n), new ReadOnlySpan<float>(Up + s, n), new ReadOnlySpan<float>(Dy + s, n),
                new Span<float>(DGate + s, n), new Span<float>(DUp + s, n));
        }
    }

    private static void Fused(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, ReadOnlySpan<float> dy, Span<float> dgate, Span<float> dup)
    {
        ref float gr = ref MemoryMarshal.GetReference(gate);
        ref float ur = ref MemoryMarshal.GetReference(up);
        ref float dyr = ref MemoryMarshal.GetReference(dy);
        ref float dgr = ref MemoryMarshal.GetReference(dgate);
        ref float dur = ref MemoryMarshal.GetReference(dup);
        nuint n = (nuint)gate.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= n; i += 16)
            {
                var g = Vector512.LoadUnsafe(ref gr, i); var d = Vector512.LoadUnsafe(ref dyr, i);
                var s = VectorMath.Sigmoid(g);
                var silu = g * s;
                var dsilu = s * Vector512.MultiplyAddEstimate(g, Vector512<float>.One - s, Vector512<float>.One);
                Vector512.MultiplyAddEstimate(d * Vector512.LoadUnsafe(ref ur, i), dsilu, Vector512.LoadUnsafe(ref dgr, i)).StoreUnsafe(ref dgr, i);
                Vector512.MultiplyAddEstimate(d, silu, Vector512.LoadUnsafe(ref dur, i)).StoreUnsafe(ref dur, i);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8)
            {
                var g = Vector256.LoadUnsafe(ref gr, i); var d = Vector256.LoadUnsafe(ref dyr, i);
                var s = VectorMath.Sigmoid(g);
                var silu = g * s;
                var dsilu = s * Vector256.MultiplyAddEstimate(g, Vector256<float>.One - s, Vector256<float>.One);
                Vector256.MultiplyAddEstimate(d * Vector256.LoadUnsafe(ref ur, i), dsilu, Vector256.LoadUnsafe(ref dgr, i)).StoreUnsafe(ref dgr, i);
                Vector256.MultiplyAddEstimate(d, silu, Vector256.LoadUnsafe(ref dur, i)).StoreUnsafe(ref dur, i);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4)
            {
                var g = Vector128.LoadUnsafe(ref gr, i); var d = Vector128.LoadUnsafe(ref dyr, i);
                var s = VectorMath.Sigmoid(g);
                var silu = g * s;
                var dsilu = s * Vector128.MultiplyAddEstimate(g, Vector128<float>.One - s, Vector128<float>.One);
                Vector128.MultiplyAddEstimate(d * Vector128.LoadUnsafe(ref ur, i), dsilu, Vector128.LoadUnsafe(ref dgr, i)).StoreUnsafe(ref dgr, i);
                Vector128.MultiplyAddEstimate(d, silu, Vector128.LoadUnsafe(ref dur, i)).StoreUnsafe(ref dur, i);
            }
        for (; i < n; i++)
        {
            float g = Unsafe.Add(ref gr, i), d = Unsafe.Add(ref dyr, i);
            float s = VectorMath.Sigmoid(g);
            Unsafe.Add(ref dgr, i) += d * Unsafe.Add(ref ur, i) * s * (1f + g * (1f - s));
            Unsafe.Add(ref dur, i) += d * g * s;
        }
    }
}
