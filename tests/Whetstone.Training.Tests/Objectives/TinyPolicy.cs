using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;

namespace Whetstone.Training.Tests.Objectives;

/// <summary>A tiny Qwen3-shaped transformer and a batch of ids, for objective tests through a real model.</summary>
internal static class TinyPolicy
{
    public const int Vocab = 29;

    public static TransformerModel Create(ulong seed = 1)
    {
        var config = new ModelConfig
        {
            Family = ModelFamily.Qwen3, VocabSize = Vocab, HiddenSize = 16, IntermediateSize = 24, NumLayers = 2,
            NumHeads = 4, NumKeyValueHeads = 2, HeadDim = 4, MaxPositionEmbeddings = 64, RmsNormEps = 1e-6f,
            RopeTheta = 10000, TieWordEmbeddings = true, QkNorm = true,
        };
        var model = TransformerModel.Create(config, seed, std: 0.3f);
        foreach (var p in model.Parameters) p.Value.RequiresGrad = true;
        return model;
    }

    public static int[] Ids(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = rng.NextInt(Vocab);
        return ids;
    }

    /// <summary>Per-target-token mask: 0 on the first <paramref name="prompt"/> tokens of each row, 1 after.</summary>
    public static float[] CompletionMask(int batch, int length, int prompt)
    {
        var mask = new float[batch * length];
        for (int b = 0; b < batch; b++)
            for (int t = prompt; t < length; t++) mask[b * length + t] = 1f;
        return mask;
    }
}
