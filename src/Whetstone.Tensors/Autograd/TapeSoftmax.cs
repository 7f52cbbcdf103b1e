using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>Softmax over the last dimension: (..., n) → (..., n), each row summing to 1.</summary>
    /// <param name="x">(..., n).</param>
    public Tensor Softmax(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = NewOutput(x.Shape);
        SoftmaxKernel.Forward(x.AsSpan(), y.AsSpan(), x.Shape.Rows, x.Shape.Last);
        if (ShouldRecord(x)) Record(new TapeEntry { Op = OpCode.Softmax, Output = y, A = x });
        return y;
    }

    /// <summary>
    /// Attention probabilities P = softmax(scale·S) over keys for every (batch, head), optionally with a causal
    /// mask: query i (at absolute position <paramref name="offset"/> + i) sees keys 0..offset + i; masked entries are exactly 0.
    /// </summary>
    /// <param name="scores">(..., T_q, T_k) raw scores, e.g. (B, H, T, T) from q·kᵀ.</param>
    /// <param name="scale">Factor applied before the softmax, usually 1/√head_dim.</param>
    /// <param name="causal">Apply the causal mask.</param>
    /// <param name="offset">Number of earlier (cached) positions before the first query; T_k = offset + T_q when causal.</param>
    public Tensor AttentionSoftmax(Tensor scores, float scale, bool causal, int offset = 0) =>
        AttentionSoftmax(scores, scale, causal, offset, ReadOnlyMemory<int>.Empty);

    /// <summary>
    /// <see cref="AttentionSoftmax(Tensor, float, bool, int)"/> for a left-padded batch: in sequence b, keys before
    /// <paramref name="firstKeys"/>[b] are padding and masked for every query and head; a query with no visible key
    /// (a padding query) gets an all-zero row and no gradient.
    /// </summary>
    /// <param name="scores">(B, H, T_q, T_k) or (B, T_q, T_k).</param>
    /// <param name="scale">Factor applied before the softmax, usually 1/√head_dim.</param>
    /// <param name="causal">Apply the causal mask.</param>
    /// <param name="offset">Number of earlier (cached) positions before the first query.</param>
    /// <param name="firstKeys">One entry per sequence (length B): index of its first real key. Empty means no padding.
    /// Must stay unchanged until backward has run.</param>
    public Tensor AttentionSoftmax(Tensor scores, float scale, bool causal, int offset, ReadOnlyMemory<int> firstKeys)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Rank < 2) throw new ArgumentException($"AttentionSoftmax needs (..., T_q, T_k), got {scores.Describe()}.");
        if (!firstKeys.IsEmpty && (scores.Rank < 3 || firstKeys.Length != scores.Shape[0]))
            throw new ArgumentException($"AttentionSoftmax: {firstKeys.Length} firstKeys for {scores.Describe()}; need one per sequence (dimension 0).");
        int rows = scores.Shape[-2], cols = scores.Shape[-1], batch = scores.Shape.BatchCount, size = rows * cols;
        int perSequence = firstKeys.IsEmpty ? 1 : batch / scores.Shape[0];
        var keys = firstKeys.Span;
        var y = NewOutput(scores.Shape);
        var s = scores.AsSpan();
        var p = y.AsSpan();
        for (int b = 0; b < batch; b++)
            AttentionSoftmaxKernel.Forward(s.Slice(b * size, size), p.Slice(b * size, size), rows, cols, scale, causal, offset,
                keys.IsEmpty ? 0 : keys[b / perSequence]);
        if (ShouldRecord(scores))
            Record(new TapeEntry
            {
                Op = OpCode.AttentionSoftmax, Output = y, A = scores, F0 = scale, I0 = causal ? 1 : 0, I1 = offset, I2 = perSequence, Ids = firstKeys,
            });
        return y;
    }

    /// <summary>Backward of both softmaxes; uses the saved output P. Entry: A input; attention: F0 scale, I0 causal, I1 offset,
    /// I2 matrices per sequence, Ids first key per sequence (empty: none).</summary>
    private void SoftmaxBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        var p = e.Output.AsSpan();
        var dp = e.Output.Grad!.AsSpan();
        var dx = GradOf(e.A).AsSpan();
        if (e.Op == OpCode.Softmax)
        {
            SoftmaxKernel.Backward(p, dp, dx, e.A.Shape.Rows, e.A.Shape.Last);
            return;
        }
        int rows = e.A.Shape[-2], cols = e.A.Shape[-1], batch = e.A.Shape.BatchCount, size = rows * cols;
        var keys = e.Ids.Span;
        for (int b = 0; b < batch; b++)
            AttentionSoftmaxKernel.Backward(p.Slice(b * size, size), dp.Slice(b * size, size), dx.Slice(b * size, size),
                rows, cols, e.F0, e.I0 != 0, e.I1, keys.IsEmpty ? 0 : keys[b / e.I2]);
    }
}
