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
    public Tensor AttentionSoftmax(Tensor scores, float scale, bool causal, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Rank < 2) throw new ArgumentException($"AttentionSoftmax needs (..., T_q, T_k), got {scores.Describe()}.");
        int rows = scores.Shape[-2], cols = scores.Shape[-1], batch = scores.Shape.BatchCount, size = rows * cols;
        var y = NewOutput(scores.Shape);
        var s = scores.AsSpan();
        var p = y.AsSpan();
        for (int b = 0; b < batch; b++)
            AttentionSoftmaxKernel.Forward(s.Slice(b * size, size), p.Slice(b * size, size), rows, cols, scale, causal, offset);
        if (ShouldRecord(scores))
            Record(new TapeEntry { Op = OpCode.AttentionSoftmax, Output = y, A = scores, F0 = scale, I0 = causal ? 1 : 0, I1 = offset });
        return y;
    }

    /// <summary>Backward of both softmaxes; uses the saved output P. Entry: A input; attention: F0 scale, I0 causal, I1 offset.</summary>
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
        for (int b = 0; b < batch; b++)
            AttentionSoftmaxKernel.Backward(p.Slice(b * size, size), dp.Slice(b * size, size), dx.Slice(b * size, size),
                rows, cols, e.F0, e.I0 != 0, e.I1);
    }
}
