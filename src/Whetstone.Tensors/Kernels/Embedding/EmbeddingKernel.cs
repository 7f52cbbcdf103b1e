using System.Numerics.Tensors;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Token embedding lookup. table: (vocab, dim); ids: (n); y: (n, dim) with y[i, :] = table[ids[i], :].
/// </summary>
public static class EmbeddingKernel
{
    /// <summary>Gathers rows of the table. Throws <see cref="ArgumentOutOfRangeException"/> naming any id outside [0, vocab).</summary>
    public static void Forward(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, Span<float> y, int vocab, int dim)
    {
        ShapeCheck.Rows(table.Length, vocab, dim, nameof(table));
        ShapeCheck.Rows(y.Length, ids.Length, dim, nameof(y));
        for (int i = 0; i < ids.Length; i++)
        {
            int id = CheckId(ids, i, vocab);
            table.Slice(id * dim, dim).CopyTo(y.Slice(i * dim, dim));
        }
    }

    /// <summary>Scatter-add: dtable[ids[i], :] += dy[i, :]. Repeated ids accumulate in order of i.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> ids, Span<float> dtable, int vocab, int dim)
    {
        ShapeCheck.Rows(dtable.Length, vocab, dim, nameof(dtable));
        ShapeCheck.Rows(dy.Length, ids.Length, dim, nameof(dy));
        for (int i = 0; i < ids.Length; i++)
        {
            int id = CheckId(ids, i, vocab);
            var row = dtable.Slice(id * dim, dim);
            TensorPrimitives.Add(row, dy.Slice(i * dim, dim), row);
        }
    }

    internal static int CheckId(ReadOnlySpan<int> ids, int i, int vocab)
    {
        int id = ids[i];
        if ((uint)id >= (uint)vocab)
            throw new ArgumentOutOfRangeException(nameof(ids), id,
                $"Token id {id} at position {i} is outside the vocabulary of size {vocab} (valid ids are 0..{vocab - 1}).");
        return id;
    }
}
