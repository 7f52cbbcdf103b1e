using Op = Whetstone.Tensors.Kernels.Transpose;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Causal grouped-query attention of one sequence, head by head, without keeping the (T, T) probabilities:
/// out_h = softmax(scale·q_h·k_gᵀ, causal)·v_g, where query head h reads key/value head g = h / (H / H_kv).
/// q, dq, out, dout: (T, H, D) rows; k, v, dk, dv: (T, H_kv, D) rows, so heads are read in place (row stride H·D or
/// H_kv·D) with no split/merge copies and no repeated key/value heads. The backward pass recomputes each head's
/// probabilities with the same GEMM and softmax kernel, so they are bit-identical to the forward pass's.
/// </summary>
internal static unsafe class CausalAttentionKernel
{
    /// <summary>Floats of scratch <see cref="Forward"/> needs: one (T, T) matrix.</summary>
    public static long ForwardScratch(int t) => (long)t * t;

    /// <summary>Floats of scratch <see cref="Backward"/> needs: three (T, T) matrices (P, dP, dS).</summary>
    public static long BackwardScratch(int t) => 3L * t * t;

    /// <summary>out (T, H, D) = attention(q, k, v); <paramref name="scratch"/> holds <see cref="ForwardScratch"/> floats.</summary>
    public static void Forward(float* q, float* k, float* v, float* output, int t, int heads, int kvHeads, int d, float scale, float* scratch)
    {
        int group = heads / kvHeads, ldq = heads * d, ldk = kvHeads * d;
        for (int h = 0; h < heads; h++)
        {
            int g = h / group;
            Probabilities(q + h * d, k + g * d, t, ldq, ldk, d, scale, scratch);
            // out_h (T, D) = P (T, T)·v_g (T, D)
            Gemm.Multiply(Op.None, Op.None, t, d, t, 1f, scratch, t, v + g * d, ldk, 0f, output + h * d, ldq);
        }
    }

    /// <summary>
    /// Accumulates dq, dk, dv (any may be null: not wanted) from dout. Per head: P recomputed; dv_g += Pᵀ·dout_h;
    /// dP = dout_h·v_gᵀ; dS = scale·P ⊙ (dP − rowsum(dP ⊙ P)); dq_h += dS·k_g; dk_g += dSᵀ·q_h.
    /// <paramref name="scratch"/> holds <see cref="BackwardScratch"/> floats.
    /// </summary>
    public static void Backward(float* q, float* k, float* v, float* dout, float* dq, float* dk, float* dv,
        int t, int heads, int kvHeads, int d, float scale, float* scratch)
    {
        int group = heads / kvHeads, ldq = heads * d, ldk = kvHeads * d;
        long tt = (long)t * t;
        float* p = scratch, dp = scratch + tt, ds = scratch + 2 * tt;
        for (int h = 0; h < heads; h++)
        {
            int g = h / group;
            float* qh = q + h * d, kg = k + g * d, vg = v + g * d, doh = dout + h * d;
            Probabilities(qh, kg, t, ldq, ldk, d, scale, p);
            if (dv != null)
                Gemm.Multiply(Op.Transposed, Op.None, t, d, t, 1f, p, t, doh, ldq, 1f, dv + g * d, ldk);
            if (dq == null && dk == null) continue;
            Gemm.Multiply(Op.None, Op.Transposed, t, t, d, 1f, doh, ldq, vg, ldk, 0f, dp, t);
            var dsSpan = new Span<float>(ds, checked((int)tt));
            dsSpan.Clear();
            AttentionSoftmaxKernel.Backward(new ReadOnlySpan<float>(p, (int)tt), new ReadOnlySpan<float>(dp, (int)tt), dsSpan,
                t, t, scale, causal: true, offset: 0);
            if (dq != null)
                Gemm.Multiply(Op.None, Op.None, t, d, t, 1f, ds, t, kg, ldk, 1f, dq + h * d, ldq);
            if (dk != null)
                Gemm.Multiply(Op.Transposed, Op.None, t, d, t, 1f, ds, t, qh, ldq, 1f, dk + g * d, ldk);
        }
    }

    /// <summary>P (T, T) = causal softmax(scale·q_h·k_gᵀ), written into <paramref name="p"/>.</summary>
    private static void Probabilities(float* qh, float* kg, int t, int ldq, int ldk, int d, float scale, float* p)
    {
        Gemm.Multiply(Op.None, Op.Transposed, t, t, d, 1f, qh, ldq, kg, ldk, 0f, p, t);
        var s = new Span<float>(p, checked(t * t));
        AttentionSoftmaxKernel.Forward(s, s, t, t, scale, causal: true, offset: 0);
    }
}
