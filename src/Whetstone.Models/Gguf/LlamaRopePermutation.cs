namespace Whetstone.Models.Gguf;

/// <summary>
/// The row permutation convert_hf_to_gguf applies to Llama's q_proj and k_proj (weights and biases). HF
/// rotates each head "rotate-half" style, pairing dimension i with i + d/2; llama.cpp's Llama graph uses
/// GGML's normal RoPE, which pairs 2i with 2i+1. Moving row <c>s·d/2 + j</c> of each head to row
/// <c>2j + s</c> makes the two agree. Qwen2/Qwen3 run llama.cpp's NEOX RoPE (rotate-half) and need no change.
/// </summary>
public static class LlamaRopePermutation
{
    /// <summary>
    /// HF order to GGML order: within each of <paramref name="heads"/> blocks of rows, interleave the first and
    /// second halves. <paramref name="source"/> is (heads · headDim, columns) row-major; a bias has one column.
    /// </summary>
    public static float[] Permute(ReadOnlySpan<float> source, int heads, int columns)
    {
        var (headDim, result) = Prepare(source, heads, columns);
        int half = headDim / 2;
        for (int h = 0; h < heads; h++)
            for (int s = 0; s < 2; s++)
                for (int j = 0; j < half; j++)
                    source.Slice(((h * headDim) + (s * half) + j) * columns, columns)
                        .CopyTo(result.AsSpan(((h * headDim) + (2 * j) + s) * columns, columns));
        return result;
    }

    /// <summary>The inverse of <see cref="Permute"/>: GGML order back to HF order.</summary>
    public static float[] Unpermute(ReadOnlySpan<float> source, int heads, int columns)
    {
        var (headDim, result) = Prepare(source, heads, columns);
        int half = headDim / 2;
        for (int h = 0; h < heads; h++)
            for (int s = 0; s < 2; s++)
                for (int j = 0; j < half; j++)
                    source.Slice(((h * headDim) + (2 * j) + s) * columns, columns)
                        .CopyTo(result.AsSpan(((h * headDim) + (s * half) + j) * columns, columns));
        return result;
    }

    private static (int HeadDim, float[] Result) Prepare(ReadOnlySpan<float> source, int heads, int columns)
    {
        if (heads <= 0 || columns <= 0 || source.Length % (heads * columns) != 0)
            throw new ArgumentException($"{source.Length} values do not split into {heads} heads of rows with {columns} columns.");
        int headDim = source.Length / columns / heads;
        if (headDim % 2 != 0)
            throw new ArgumentException($"Head width {headDim} is odd; RoPE rotates pairs.");
        return (headDim, new float[source.Length]);
    }
}
