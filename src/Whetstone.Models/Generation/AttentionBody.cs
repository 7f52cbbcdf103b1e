using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Whetstone.Tensors.Kernels;
using Whetstone.Tensors.Threading;

namespace Whetstone.Models.Generation;

/// <summary>
/// Cached causal attention of one layer, one loop index per (piece, query head): scores = q·Kᵀ over the
/// sequence's cached keys (which already include this piece's own), softmax with the causal offset, out = P·V.
/// Each index writes its own (rows, head_dim) slice of the output, so results do not depend on the thread count.
/// </summary>
internal unsafe struct AttentionBody : IComputeLoopBody
{
    public float* Queries;       // (rows, heads·D), roped
    public float* Output;        // (rows, heads·D)
    public float** Keys;         // per piece: this layer's (kv_heads, capacity, D)
    public float** Values;       // per piece: this layer's (kv_heads, capacity, D)
    public int* RowStart, Length, Position, Capacity;
    public int Heads, Group, HeadDim;
    public float Scale;

    [ThreadStatic] private static float[]? _scores;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void Invoke(int index)
    {
        int piece = index / Heads, head = index % Heads, kvHead = head / Group;
        int rows = Length[piece], pos = Position[piece], keys = pos + rows, stride = Heads * HeadDim;
        long headOffset = (long)kvHead * Capacity[piece] * HeadDim;
        float* q = Queries + (long)RowStart[piece] * stride + head * HeadDim;
        float* o = Output + (long)RowStart[piece] * stride + head * HeadDim;
        int need = rows * keys;
        var scores = _scores is { } s && s.Length >= need ? s : _scores = new float[Math.Max(need, 4096)];
        fixed (float* p = scores)
        {
            if (rows == 1)
            {
                // A decoding step: one query against the cache, without the GEMM's set-up cost (it dominates at
                // a few dozen keys, and there are batch × heads × layers of these per step).
                var qs = new ReadOnlySpan<float>(q, HeadDim);
                float* kh = Keys[piece] + headOffset, vh = Values[piece] + headOffset;
                for (int j = 0; j < keys; j++)
                    p[j] = TensorPrimitives.Dot(qs, new ReadOnlySpan<float>(kh + (long)j * HeadDim, HeadDim));
                var row = new Span<float>(p, keys);
                AttentionSoftmaxKernel.Forward(row, row, 1, keys, Scale, causal: false, offset: 0);
                var output = new Span<float>(o, HeadDim);
                output.Clear();
                for (int j = 0; j < keys; j++)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(vh + (long)j * HeadDim, HeadDim), p[j], output, output);
                return;
            }
            // Nested inside the pool loop, these GEMMs run on this thread.
            Gemm.Multiply(Transpose.None, Transpose.Transposed, rows, keys, HeadDim, 1f,
                q, stride, Keys[piece] + headOffset, HeadDim, 0f, p, keys);
            var span = new Span<float>(p, need);
            AttentionSoftmaxKernel.Forward(span, span, rows, keys, Scale, causal: true, offset: pos);
            Gemm.Multiply(Transpose.None, Transpose.None, rows, HeadDim, keys, 1f,
                p, keys, Values[piece] + headOffset, HeadDim, 0f, o, stride);
        }
    }
}
