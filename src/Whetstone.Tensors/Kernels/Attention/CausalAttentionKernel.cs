using Whetstone.Tensors.Threading;
using Op = Whetstone.Tensors.Kernels.Transpose;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Causal grouped-query attention of one sequence without keeping the (T, T) probabilities:
/// out_h = softmax(scale·q_h·k_gᵀ, causal)·v_g, where query head h reads key/value head g = h / (H / H_kv).
/// q, dq, out, dout: (T, H, D) rows; k, v, dk, dv: (T, H_kv, D) rows, so heads are read in place (row stride H·D or
/// H_kv·D) with no split/merge copies and no repeated key/value heads. The backward pass recomputes each head's
/// probabilities with the same GEMM and softmax kernel, so they are bit-identical to the forward pass's.
/// </summary>
/// <remarks>
/// Heads run in parallel on <see cref="ComputePool"/>, one whole head per index with single-threaded GEMMs, in waves
/// of <see cref="Slots"/> heads (each slot owns its scratch). Heads of one group would race on dk_g and dv_g, so each
/// head writes its own (T, D) dk and dv, summed into the group's rows afterwards in head order: results do not
/// depend on the thread count.
/// </remarks>
internal static unsafe class CausalAttentionKernel
{
    /// <summary>Scratch budget that decides how many heads run at once (at least the thread count).</summary>
    private const long SlotBudgetBytes = 64L << 20;

    /// <summary>Heads processed at once: all of them when their scratch fits the budget, never fewer than the threads.</summary>
    public static int Slots(int t, int heads, int d)
    {
        long perHead = BackwardScratchPerHead(t, d) * sizeof(float);
        long fit = Math.Max(1, SlotBudgetBytes / Math.Max(1, perHead));
        return (int)Math.Clamp(fit, Math.Min(heads, ComputeThreads.Count), heads);
    }

    /// <summary>Floats of scratch <see cref="Forward"/> needs for <paramref name="slots"/> heads at once: one (T, T) matrix each.</summary>
    public static long ForwardScratch(int t, int slots) => slots * (long)t * t;

    /// <summary>Floats of scratch <see cref="Backward"/> needs for <paramref name="slots"/> heads at once: P, dP, dS (T, T) and the head's dk, dv (T, D) each.</summary>
    public static long BackwardScratch(int t, int d, int slots) => slots * BackwardScratchPerHead(t, d);

    private static long BackwardScratchPerHead(int t, int d) => 3L * t * t + 2L * t * d;

    /// <summary>
    /// out (T, H, D) = attention(q, k, v), <paramref name="slots"/> heads at a time (from <see cref="Slots"/>, computed
    /// once by the caller so it matches the scratch even if the thread count changes); <paramref name="scratch"/> holds
    /// <see cref="ForwardScratch"/> floats.
    /// </summary>
    public static void Forward(float* q, float* k, float* v, float* output, int t, int heads, int kvHeads, int d, float scale,
        int slots, float* scratch)
    {
        var body = new ForwardBody
        {
            Q = q, K = k, V = v, Output = output, Scratch = scratch, T = t, Heads = heads, KvHeads = kvHeads, D = d, Scale = scale,
        };
        for (int first = 0; first < heads; first += slots)
        {
            body.FirstHead = first;
            ComputePool.For(Math.Min(slots, heads - first), body);
        }
    }

    /// <summary>
    /// Accumulates dq, dk, dv (any may be null: not wanted) from dout. Per head: P recomputed; dv_g += Pᵀ·dout_h;
    /// dP = dout_h·v_gᵀ; dS = scale·P ⊙ (dP − rowsum(dP ⊙ P)); dq_h += dS·k_g; dk_g += dSᵀ·q_h.
    /// <paramref name="slots"/> heads at a time; <paramref name="scratch"/> holds <see cref="BackwardScratch"/> floats.
    /// </summary>
    public static void Backward(float* q, float* k, float* v, float* dout, float* dq, float* dk, float* dv,
        int t, int heads, int kvHeads, int d, float scale, int slots, float* scratch)
    {
        long perSlot = BackwardScratchPerHead(t, d);
        var body = new BackwardBody
        {
            Q = q, K = k, V = v, DOut = dout, DQ = dq, WantK = dk != null, WantV = dv != null, Scratch = scratch,
            T = t, Heads = heads, KvHeads = kvHeads, D = d, Scale = scale,
        };
        int group = heads / kvHeads, ldk = kvHeads * d;
        for (int first = 0; first < heads; first += slots)
        {
            int count = Math.Min(slots, heads - first);
            body.FirstHead = first;
            ComputePool.For(count, body);
            // Sum each head's private dk, dv into its group's rows, in head order.
            for (int s = 0; s < count; s++)
            {
                int g = (first + s) / group;
                float* dkh = scratch + s * perSlot + 3L * t * t, dvh = dkh + (long)t * d;
                for (int r = 0; r < t; r++)
                {
                    if (dk != null) AddRow(dkh + (long)r * d, dk + (long)r * ldk + g * d, d);
                    if (dv != null) AddRow(dvh + (long)r * d, dv + (long)r * ldk + g * d, d);
                }
            }
        }
    }

    private static void AddRow(float* from, float* to, int d)
    {
        var dst = new Span<float>(to, d);
        System.Numerics.Tensors.TensorPrimitives.Add(dst, new ReadOnlySpan<float>(from, d), dst);
    }

    /// <summary>Single-threaded C = alpha·op(A)·op(B) + beta·C: the parallelism is across heads.</summary>
    private static void Gemm1(Op ta, Op tb, int m, int n, int k, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        => GemmDispatch.Run(GemmDispatch.Best, parallel: false, ta, tb, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);

    /// <summary>P (T, T) = causal softmax(scale·q_h·k_gᵀ), written into <paramref name="p"/>.</summary>
    private static void Probabilities(float* qh, float* kg, int t, int ldq, int ldk, int d, float scale, float* p)
    {
        Gemm1(Op.None, Op.Transposed, t, t, d, qh, ldq, kg, ldk, 0f, p, t);
        var s = new Span<float>(p, checked(t * t));
        AttentionSoftmaxKernel.Forward(s, s, t, t, scale, causal: true, offset: 0);
    }

    private struct ForwardBody : IComputeLoopBody
    {
        public float* Q, K, V, Output, Scratch;
        public int T, Heads, KvHeads, D, FirstHead;
        public float Scale;

        public readonly void Invoke(int index)
        {
            int h = FirstHead + index, g = h / (Heads / KvHeads), ldq = Heads * D, ldk = KvHeads * D;
            float* p = Scratch + index * (long)T * T;
            Probabilities(Q + h * D, K + g * D, T, ldq, ldk, D, Scale, p);
            // out_h (T, D) = P (T, T)·v_g (T, D)
            Gemm1(Op.None, Op.None, T, D, T, p, T, V + g * D, ldk, 0f, Output + h * D, ldq);
        }
    }

    private struct BackwardBody : IComputeLoopBody
    {
        public float* Q, K, V, DOut, DQ, Scratch;
        public bool WantK, WantV;
        public int T, Heads, KvHeads, D, FirstHead;
        public float Scale;

        public readonly void Invoke(int index)
        {
            int h = FirstHead + index, g = h / (Heads / KvHeads), ldq = Heads * D, ldk = KvHeads * D, t = T, d = D;
            long tt = (long)t * t;
            float* p = Scratch + index * BackwardScratchPerHead(t, d), dp = p + tt, ds = p + 2 * tt;
            float* dkh = p + 3 * tt, dvh = dkh + (long)t * d;
            float* qh = Q + h * d, kg = K + g * d, vg = V + g * d, doh = DOut + h * d;
            Probabilities(qh, kg, t, ldq, ldk, d, Scale, p);
            if (WantV) Gemm1(Op.Transposed, Op.None, t, d, t, p, t, doh, ldq, 0f, dvh, d);   // Pᵀ·dout_h
            if (DQ == null && !WantK) return;
            Gemm1(Op.None, Op.Transposed, t, t, d, doh, ldq, vg, ldk, 0f, dp, t);             // dP = dout_h·v_gᵀ
            var dsSpan = new Span<float>(ds, checked((int)tt));
            dsSpan.Clear();
            AttentionSoftmaxKernel.Backward(new ReadOnlySpan<float>(p, (int)tt), new ReadOnlySpan<float>(dp, (int)tt), dsSpan,
                t, t, Scale, causal: true, offset: 0);
            if (DQ != null) Gemm1(Op.None, Op.None, t, d, t, ds, t, kg, ldk, 1f, DQ + h * d, ldq);   // dq_h += dS·k_g
            if (WantK) Gemm1(Op.Transposed, Op.None, t, d, t, ds, t, qh, ldq, 0f, dkh, d);         // dSᵀ·q_h
        }
    }
}
