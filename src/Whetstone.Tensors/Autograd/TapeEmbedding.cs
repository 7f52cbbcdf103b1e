using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>Looks up rows of an embedding table: ids (N) → (N, d), or with <paramref name="outputShape"/> e.g. (B, T, d).</summary>
    /// <param name="table">(vocab, d).</param>
    /// <param name="ids">Token ids in [0, vocab); must stay unchanged until backward has run.</param>
    /// <param name="outputShape">Optional result shape with N·d elements and last dimension d; default (N, d).</param>
    public Tensor Embedding(Tensor table, ReadOnlyMemory<int> ids, Shape? outputShape = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Rank != 2) throw new ArgumentException($"Embedding: table must be (vocab, d), got {table.Describe()}.");
        int vocab = table.Shape[0], dim = table.Shape[1];
        var shape = outputShape ?? new Shape(ids.Length, dim);
        if (shape.Count != ids.Length * dim || shape.Last != dim)
            throw new ArgumentException($"Embedding: output shape {shape} does not hold {ids.Length} rows of {dim}.");
        var y = NewOutput(shape);
        EmbeddingKernel.Forward(table.AsSpan(), ids.Span, y.AsSpan(), vocab, dim);
        if (ShouldRecord(table)) Record(new TapeEntry { Op = OpCode.Embedding, Output = y, A = table, Ids = ids });
        return y;
    }

    /// <summary>Backward of <see cref="Embedding"/>: scatter-add rows of the gradient into the table's gradient. Entry: A table, Ids.</summary>
    private void EmbeddingBackward(ref TapeEntry e)
    {
        if (!e.A!.RequiresGrad) return;
        EmbeddingKernel.Backward(e.Output.Grad!.AsSpan(), e.Ids.Span, GradOf(e.A).AsSpan(), e.A.Shape[0], e.A.Shape[1]);
    }
}
