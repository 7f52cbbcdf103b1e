namespace Whetstone.Models.Configuration;

/// <summary>
/// Builders for named model shapes, in the manner of torchtune's <c>qwen2_5_0_5b()</c>: the numbers of the
/// published <c>config.json</c>, so that benchmarks and tests can make random-weight models of the real size.
/// </summary>
public static class ModelShapes
{
    /// <summary>A tiny Qwen3-style model for tests: 2 layers, width 64, grouped-query attention, QK-norm.</summary>
    public static ModelConfig Tiny(int vocabSize = 256) => new()
    {
        Family = ModelFamily.Qwen3,
        VocabSize = vocabSize,
        HiddenSize = 64,
        IntermediateSize = 128,
        NumLayers = 2,
        NumHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 16,
        MaxPositionEmbeddings = 512,
        RmsNormEps = 1e-6f,
        RopeTheta = 10000,
        TieWordEmbeddings = true,
        QkNorm = true,
    };

    /// <summary>HuggingFaceTB/SmolLM2-135M: Llama architecture, 30 layers, width 576, 9 heads over 3 KV heads.</summary>
    public static ModelConfig SmolLM2_135M() => new()
    {
        Family = ModelFamily.Llama,
        VocabSize = 49152,
        HiddenSize = 576,
        IntermediateSize = 1536,
        NumLayers = 30,
        NumHeads = 9,
        NumKeyValueHeads = 3,
        HeadDim = 64,
        MaxPositionEmbeddings = 8192,
        RmsNormEps = 1e-5f,
        RopeTheta = 100000,
        TieWordEmbeddings = true,
        BosTokenId = 0,
        EosTokenIds = [0],
    };

    /// <summary>Qwen/Qwen2.5-0.5B: 24 layers, width 896, 14 heads over 2 KV heads, q/k/v bias, tied embeddings.</summary>
    public static ModelConfig Qwen2_5_0_5B() => new()
    {
        Family = ModelFamily.Qwen2,
        VocabSize = 151936,
        HiddenSize = 896,
        IntermediateSize = 4864,
        NumLayers = 24,
        NumHeads = 14,
        NumKeyValueHeads = 2,
        HeadDim = 64,
        MaxPositionEmbeddings = 32768,
        RmsNormEps = 1e-6f,
        RopeTheta = 1000000,
        TieWordEmbeddings = true,
        AttentionBias = true,
        BosTokenId = 151643,
        EosTokenIds = [151643],
    };

    /// <summary>Qwen/Qwen3-0.6B: 28 layers, width 1024, 16 heads of 128 over 8 KV heads, QK-norm, tied embeddings.</summary>
    public static ModelConfig Qwen3_0_6B() => new()
    {
        Family = ModelFamily.Qwen3,
        VocabSize = 151936,
        HiddenSize = 1024,
        IntermediateSize = 3072,
        NumLayers = 28,
        NumHeads = 16,
        NumKeyValueHeads = 8,
        HeadDim = 128,
        MaxPositionEmbeddings = 40960,
        RmsNormEps = 1e-6f,
        RopeTheta = 1000000,
        TieWordEmbeddings = true,
        QkNorm = true,
        BosTokenId = 151643,
        EosTokenIds = [151645],
    };

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
