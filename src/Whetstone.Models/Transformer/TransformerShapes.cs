using Whetstone.Models.Configuration;

namespace Whetstone.Models.Transformer;

/// <summary>Model shapes of this folder's own, for benchmarks and examples (published shapes are in <see cref="ModelShapes"/>).</summary>
public static class TransformerShapes
{
    /// <summary>
    /// A ~19M-parameter Qwen3-style model: 6 layers, width 384, 6 heads of 64 over 2 KV heads, MLP 1536,
    /// vocabulary 16384, QK-norm, tied embeddings. Small enough that batch-1 decoding is bound by memory
    /// traffic and batching pays off, as it does for real models.
    /// </summary>
    public static ModelConfig Qwen3Style20M() => new()
    {
        Family = ModelFamily.Qwen3,
        VocabSize = 16384,
        HiddenSize = 384,
        IntermediateSize = 1536,
        NumLayers = 6,
        NumHeads = 6,
        NumKeyValueHeads = 2,
        HeadDim = 64,
        MaxPositionEmbeddings = 4096,
        RmsNormEps = 1e-6f,
        RopeTheta = 1000000,
        TieWordEmbeddings = true,
        QkNorm = true,
        EosTokenIds = [0],
    };
}
