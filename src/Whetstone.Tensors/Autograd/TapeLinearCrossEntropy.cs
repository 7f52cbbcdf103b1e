using System.Numerics.Tensors;
using Whetstone.Tensors.Kernels;
using Op = Whetstone.Tensors.Kernels.Transpose;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>
    /// Bytes of logits <see cref="LinearCrossEntropy"/> holds at once (at least 16 rows). Each chunk's GEMMs re-pack the
    /// whole (V, in) weight, so chunks are as large as this budget allows: 220 rows at V = 151,936, and a small
    /// vocabulary fits every row in one chunk.
    /// </summary>
    internal const long LinearCrossEntropyChunkBytes = 128L << 20;

    /// <summary>
    /// <see cref="WeightedCrossEntropy"/> of the logits hidden·Wᵀ without materialising them: → shape (1,), equal to
    /// <c>WeightedCrossEntropy(MatMul(hidden, weight, transposeB: true), targets, weights, reduction)</c>.
    /// </summary>
    /// <remarks>
    /// Rows are processed in chunks of at most 128 MiB of logits (one (chunk, V) scratch), rows of weight 0 are skipped outright (no
    /// logits computed for prompt or padding tokens). When the weight is frozen — LoRA, or any head that does not
    /// train — d loss / d hidden is computed in the same pass, while each chunk's logits are at hand, and kept as one
    /// (rows, in) buffer; backward only scales it by the upstream gradient. No (rows, V) logits, softmax or gradient
    /// ever exist. When the weight requires a gradient the op falls back to the materialised path.
    /// </remarks>
    /// <param name="hidden">(..., in), e.g. the final-normed hidden states (B, T, hidden).</param>
    /// <param name="weight">(V, in), the lm_head (or tied embedding) weight.</param>
    /// <param name="targets">One id per row; rows of nonzero weight need ids in [0, V).</param>
    /// <param name="weights">One weight per row (constants); 0 masks a row.</param>
    /// <param name="reduction">Weighted mean (divide by Σ w, 0 when every weight is 0) or weighted sum.</param>
    public Tensor LinearCrossEntropy(Tensor hidden, Tensor weight, ReadOnlyMemory<int> targets, ReadOnlyMemory<float> weights,
        LossReduction reduction = LossReduction.Mean)
        => LinearCrossEntropyChunked(hidden, weight, targets, weights, reduction, LinearCrossEntropyChunkBytes);

    /// <summary><see cref="LinearCrossEntropy"/> with a given logits budget per chunk (tests use small ones to cross chunk boundaries).</summary>
    internal unsafe Tensor LinearCrossEntropyChunked(Tensor hidden, Tensor weight, ReadOnlyMemory<int> targets, ReadOnlyMemory<float> weights,
        LossReduction reduction, long chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2 || hidden.Shape.Last != weight.Shape[1])
            throw new ArgumentException($"LinearCrossEntropy: hidden {hidden.Describe()} and weight {weight.Describe()} do not fit: need (..., in) and (V, in).");
        int rows = hidden.Shape.Rows, width = weight.Shape[1], vocab = weight.Shape[0];
        if (targets.Length != rows || weights.Length != rows)
            throw new ArgumentException($"LinearCrossEntropy: {targets.Length} targets and {weights.Length} weights for {rows} rows of {hidden.Describe()}.");
        if (weight.RequiresGrad && IsRecording)
            return WeightedCrossEntropy(MatMul(hidden, weight, transposeB: true), targets, weights, reduction);

        var w = weights.Span;
        var ids = targets.Span;
        double weightSum = 0;
        int active = 0;
        for (int r = 0; r < rows; r++)
        {
            weightSum += w[r];
            if (w[r] == 0f) continue;
            if ((uint)ids[r] >= (uint)vocab)
                throw new ArgumentOutOfRangeException(nameof(targets), $"LinearCrossEntropy: target {ids[r]} of row {r} is outside [0, {vocab}).");
            active++;
        }
        float scale = reduction == LossReduction.Sum ? 1f : weightSum == 0 ? 0f : (float)(1.0 / weightSum);
        bool wantGrad = ShouldRecord(hidden);
        var dHidden = wantGrad ? NewOutput(hidden.Shape, zero: true) : null;   // d loss / d hidden for an upstream gradient of 1

        int chunk = (int)Math.Min(Math.Max(chunkBytes / ((long)vocab * sizeof(float)), 16), Math.Max(1, active));
        var hc = RentScratch((long)chunk * width);
        var logits = RentScratch((long)chunk * vocab);
        var dhc = wantGrad ? RentScratch((long)chunk * width) : null;
        var rowOf = new int[chunk];
        var lse = new float[chunk];
        var logProbs = new float[chunk];
        var chunkTargets = new int[chunk];
        double loss = 0;
        var h = hidden.AsSpan();
        int next = 0;
        while (next < rows)
        {
            // Gather up to `chunk` rows of nonzero weight into hc (c, in).
            int c = 0;
            for (; next < rows && c < chunk; next++)
            {
                if (w[next] == 0f) continue;
                rowOf[c] = next;
                chunkTargets[c] = ids[next];
                h.Slice(next * width, width).CopyTo(hc.AsSpan().Slice(c * width, width));
                c++;
            }
            if (c == 0) break;
            // logits (c, V) = hc·Wᵀ
            Gemm.Multiply(Op.None, Op.Transposed, c, vocab, width, 1f, hc.DataPointer, width, weight.DataPointer, width, 0f, logits.DataPointer, vocab);
            var l = logits.AsSpan()[..(c * vocab)];
            TokenLogProbKernel.Forward(l, chunkTargets.AsSpan(0, c), logProbs.AsSpan(0, c), lse.AsSpan(0, c), c, vocab);
            for (int i = 0; i < c; i++) loss -= (double)w[rowOf[i]] * logProbs[i];
            if (!wantGrad) continue;
            // In place: logits row → d loss / d logits = g·(softmax − onehot) with g = scale·w (loss = −scale·Σ w·log p).
            for (int i = 0; i < c; i++)
            {
                var row = l.Slice(i * vocab, vocab);
                float g = scale * w[rowOf[i]];
                TensorPrimitives.Add(row, -lse[i], row);
                TensorPrimitives.Exp(row, row);
                TensorPrimitives.Multiply(row, g, row);
                row[chunkTargets[i]] -= g;
            }
            // dhc (c, in) = dlogits (c, V)·W (V, in), scattered back to the rows they came from.
            Gemm.Multiply(Op.None, Op.None, c, width, vocab, 1f, logits.DataPointer, vocab, weight.DataPointer, width, 0f, dhc!.DataPointer, width);
            var dh = dHidden!.AsSpan();
            for (int i = 0; i < c; i++) dhc.AsSpan().Slice(i * width, width).CopyTo(dh.Slice(rowOf[i] * width, width));
        }
        _pool.Return(hc);
        _pool.Return(logits);
        if (dhc is not null) _pool.Return(dhc);

        var y = NewOutput(new Shape(1));
        y[0] = (float)(loss * scale);
        if (wantGrad) Record(new TapeEntry { Op = OpCode.LinearCrossEntropy, Output = y, A = hidden, B = weight, Saved0 = dHidden });
        return y;
    }

    /// <summary>Backward of <see cref="LinearCrossEntropy"/>: d hidden += dy·Saved0. Entry: A hidden, B weight (frozen), Saved0 d loss / d hidden.</summary>
    private void LinearCrossEntropyBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        var dx = GradOf(e.A).AsSpan();
        TensorPrimitives.MultiplyAdd(e.Saved0!.AsSpan(), e.Output.Grad!.AsSpan()[0], dx, dx);
    }
}
