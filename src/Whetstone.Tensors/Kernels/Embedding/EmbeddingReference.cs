namespace Whetstone.Tensors.Kernels;

/// <summary>Plain-loop reference for <see cref="EmbeddingKernel"/>.</summary>
internal static class EmbeddingReference
{
    public static void Forward(ReadOnlySpan<float> table, ReadOnlySpan<int> ids, Span<float> y, int vocab, int dim)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            int id = EmbeddingKernel.CheckId(ids, i, vocab);
            for (int c = 0; c < dim; c++) y[i * dim + c] = table[id * dim + c];
        }
    }

    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> ids, Span<float> dtable, int vocab, int dim)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            int id = EmbeddingKernel.CheckId(ids, i, vocab);
            for (int c = 0; c < dim; c++) dtable[id * dim + c] += dy[i * dim + c];
        }
    }
}
