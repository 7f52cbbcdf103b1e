using Whetstone.Models.Configuration;

namespace Whetstone.Models.Tests.Transformer;

/// <summary>Tiny configs of each family, small enough for finite differences and fast tests.</summary>
internal static class TinyConfigs
{
    /// <summary>Llama: GQA (4 heads over 2), untied lm_head, llama3 RoPE scaling.</summary>
    public static ModelConfig Llama() => new()
    {
        Family = ModelFamily.Llama, VocabSize = 37, HiddenSize = 16, IntermediateSize = 24, NumLayers = 2,
        NumHeads = 4, NumKeyValueHeads = 2, HeadDim = 4, MaxPositionEmbeddings = 64, RmsNormEps = 1e-5f,
        RopeTheta = 500000, RopeScaling = new RopeScaling(8, 1, 4, 16), TieWordEmbeddings = false,
    };

    /// <summary>Qwen2: q/k/v bias, tied embeddings, 2 heads over 1.</summary>
    public static ModelConfig Qwen2() => new()
    {
        Family = ModelFamily.Qwen2, VocabSize = 41, HiddenSize = 16, IntermediateSize = 32, NumLayers = 2,
        NumHeads = 2, NumKeyValueHeads = 1, HeadDim = 8, MaxPositionEmbeddings = 64, RmsNormEps = 1e-6f,
        RopeTheta = 1000000, TieWordEmbeddings = true, AttentionBias = true,
    };

    /// <summary>Qwen3: per-head q/k RMSNorm, head_dim not hidden/heads, tied embeddings.</summary>
    public static ModelConfig Qwen3() => new()
    {
        Family = ModelFamily.Qwen3, VocabSize = 43, HiddenSize = 16, IntermediateSize = 24, NumLayers = 2,
        NumHeads = 4, NumKeyValueHeads = 2, HeadDim = 6, MaxPositionEmbeddings = 64, RmsNormEps = 1e-6f,
        RopeTheta = 1000000, TieWordEmbeddings = true, QkNorm = true,
    };

    public static IEnumerable<object[]> All() => [["llama"], ["qwen2"], ["qwen3"]];

    public static ModelConfig ByName(string name) => name switch
    {
        "llama" => Llama(),
        "qwen2" => Qwen2(),
        _ => Qwen3(),
    };

    /// <summary>Random ids in [0, vocab).</summary>
    public static int[] RandomIds(int count, int vocab, ulong seed)
    {
        var rng = new Whetstone.Tensors.Rng(seed);
        var ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = rng.NextInt(vocab);
        return ids;
    }

    /// <summary>Fills biases and norm weights with random values so that every parameter matters in a test.</summary>
    public static void Perturb(Whetstone.Models.Transformer.TransformerModel model, ulong seed)
    {
        var rng = new Whetstone.Tensors.Rng(seed);
        foreach (var p in model.Parameters)
        {
            if (p.Name.EndsWith("norm.weight", StringComparison.Ordinal))
                rng.FillUniform(p.Value.AsSpan(), 0.5f, 1.5f);
            else if (p.Name.EndsWith(".bias", StringComparison.Ordinal))
                rng.FillNormal(p.Value.AsSpan(), 0f, 0.1f);
        }
    }
}
