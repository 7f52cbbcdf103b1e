using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// Fused causal grouped-query attention: softmax(scale·q·kᵀ, causal)·v per head, query head h reading key/value head
    /// h / (H / H_kv). Equal to SwapAxes12 → RepeatHeads → MatMul → <see cref="AttentionSoftmax(Tensor, float, bool, int)"/> →
    /// MatMul → SwapAxes12, but it keeps neither the (B, H, T, T) scores nor the probabilities: the forward pass uses one
    /// (T, T) scratch at a time and backward recomputes each head's probabilities.
    /// </summary>
    /// <param name="q">(B, T, H, D), e.g. straight out of <see cref="Rope"/>; must stay unchanged until backward has run.</param>
    /// <param name="k">(B, T, H_kv, D) with H_kv dividing H; likewise kept.</param>
    /// <param name="v">(B, T, H_kv, D); likewise kept.</param>
    /// <param name="scale">Factor applied before the softmax, usually 1/√D.</param>
    /// <returns>(B, T, H, D): reshape to (B, T, H·D) for o_proj.</returns>
    public unsafe Tensor CausalAttention(Tensor q, Tensor k, Tensor v, float scale)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        if (q.Rank != 4 || k.Rank != 4 || k.Shape != v.Shape || q.Shape[0] != k.Shape[0] || q.Shape[1] != k.Shape[1]
            || q.Shape[3] != k.Shape[3] || k.Shape[2] == 0 || q.Shape[2] % k.Shape[2] != 0)
            throw new ArgumentException($"CausalAttention needs q (B, T, H, D) and k, v (B, T, H_kv, D) with H_kv dividing H; got q {q.Describe()}, k {k.Describe()}, v {v.Describe()}.");
        if (!(scale > 0f) || float.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "CausalAttention: the scale must be a positive finite number.");
        int batch = q.Shape[0], t = q.Shape[1], heads = q.Shape[2], kvHeads = k.Shape[2], d = q.Shape[3];
        var y = NewOutput(q.Shape);
        int slots = CausalAttentionKernel.Slots(t, heads, d);
        var scratch = RentScratch(CausalAttentionKernel.ForwardScratch(t, slots));
        long qStride = (long)t * heads * d, kStride = (long)t * kvHeads * d;
        for (int b = 0; b < batch; b++)
            CausalAttentionKernel.Forward(q.DataPointer + b * qStride, k.DataPointer + b * kStride, v.DataPointer + b * kStride,
                y.DataPointer + b * qStride, t, heads, kvHeads, d, scale, slots, scratch.DataPointer);
        _pool.Return(scratch);
        if (ShouldRecord(q, k, v))
            Record(new TapeEntry { Op = OpCode.CausalAttention, Output = y, A = q, B = k, C = v, F0 = scale });
        return y;
    }

    /// <summary>Backward of <see cref="CausalAttention"/>. Entry: A q, B k, C v, F0 scale.</summary>
    private unsafe void CausalAttentionBackward(ref TapeEntry e)
    {
        Tensor q = e.A!, k = e.B!, v = e.C!;
        int batch = q.Shape[0], t = q.Shape[1], heads = q.Shape[2], kvHeads = k.Shape[2], d = q.Shape[3];
        float* dq = q.RequiresGrad ? GradOf(q).DataPointer : null;
        float* dk = k.RequiresGrad ? GradOf(k).DataPointer : null;
        float* dv = v.RequiresGrad ? GradOf(v).DataPointer : null;
        float* dy = e.Output.Grad!.DataPointer;
        int slots = CausalAttentionKernel.Slots(t, heads, d);
        var scratch = RentScratch(CausalAttentionKernel.BackwardScratch(t, d, slots));
        long qStride = (long)t * heads * d, kStride = (long)t * kvHeads * d;
        for (int b = 0; b < batch; b++)
            CausalAttentionKernel.Backward(q.DataPointer + b * qStride, k.DataPointer + b * kStride, v.DataPointer + b * kStride,
                dy + b * qStride, dq == null ? null : dq + b * qStride, dk == null ? null : dk + b * kStride,
                dv == null ? null : dv + b * kStride, t, heads, kvHeads, d, e.F0, slots, scratch.DataPointer);
        _pool.Return(scratch);
    }

    /// <summary>A pool buffer of <paramref name="count"/> floats for the duration of one op; give it back with <c>_pool.Return</c>.</summary>
    private Tensor RentScratch(long count)
    {
        if (count > int.MaxValue) throw new ArgumentException($"Scratch of {count} floats exceeds one buffer's limit.");
        return _pool.Rent(new Shape(Math.Max(1, (int)count)), zero: false);
    }
}
