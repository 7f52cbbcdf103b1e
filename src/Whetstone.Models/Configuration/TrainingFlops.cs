namespace Whetstone.Models.Configuration;

/// <summary>
/// Floating-point work of one training token (forward + backward) and model FLOPs utilisation (MFU), as used by
/// <c>whet bench train</c>.
/// </summary>
/// <remarks>
/// <para>Headline: FLOPs per token = 6·N with N = <see cref="ModelConfig.ParameterCount"/> (a tied embedding counted
/// once). Every weight matrix does one multiply-add per token forward (2 FLOPs) and two backward (the input and the
/// weight gradient, 4 FLOPs). With tied embeddings the table is the lm_head's weight, so counting it once is exact;
/// norm gains (a few thousand values) are counted though they do no GEMM work.</para>
/// <para>With attention (PaLM appendix B, nanoGPT's estimate_mfu): add 12·L·H·D·T per token for the score and
/// value products (QKᵀ and P·V, forward and backward), at full T×T even though the mask is causal.</para>
/// <para>MFU = FLOPs per token × tokens/s ÷ a reference FLOP rate; here the reference is the GEMM rate measured in
/// the same run on the model's own linear shapes, not a datasheet peak.</para>
/// </remarks>
public static class TrainingFlops
{
    /// <summary>Elements of the input embedding table (vocab·hidden); with tied embeddings it is also the lm_head weight.</summary>
    /// <param name="config">The model shape.</param>
    public static long EmbeddingParameters(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (long)config.VocabSize * config.HiddenSize;
    }

    /// <summary>
    /// Parameters outside the input embedding table: the decoder blocks, the final norm and an untied lm_head
    /// (the "non-embedding" count of Kaplan et al.; with tied embeddings the lm_head's matmul is then left out).
    /// </summary>
    /// <param name="config">The model shape.</param>
    public static long NonEmbeddingParameters(ModelConfig config) => config.ParameterCount() - EmbeddingParameters(config);

    /// <summary>The headline: 6·N FLOPs per trained token, N = all parameters (tied embedding once).</summary>
    /// <param name="config">The model shape.</param>
    public static double PerToken(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return 6.0 * config.ParameterCount();
    }

    /// <summary>Attention's score and value products per trained token at sequence length T: 12·L·H·D·T (forward + backward).</summary>
    /// <param name="config">The model shape.</param>
    /// <param name="length">Sequence length T.</param>
    public static double AttentionPerToken(ModelConfig config, int length)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return 12.0 * config.NumLayers * config.NumHeads * config.HeadDim * length;
    }

    /// <summary>
    /// Model FLOPs utilisation: <paramref name="flopsPerToken"/>·<paramref name="tokensPerSecond"/> ÷
    /// <paramref name="referenceFlopsPerSecond"/>, a fraction (0.35 is 35%).
    /// </summary>
    /// <param name="flopsPerToken">Work per token, e.g. <see cref="PerToken"/>.</param>
    /// <param name="tokensPerSecond">Trained tokens per second.</param>
    /// <param name="referenceFlopsPerSecond">The rate counted as 100%, e.g. measured GEMM FLOP/s.</param>
    public static double Utilisation(double flopsPerToken, double tokensPerSecond, double referenceFlopsPerSecond)
    {
        if (!(referenceFlopsPerSecond > 0))
            throw new ArgumentOutOfRangeException(nameof(referenceFlopsPerSecond), referenceFlopsPerSecond, "The reference FLOP rate must be positive.");
        return flopsPerToken * tokensPerSecond / referenceFlopsPerSecond;
    }
}
