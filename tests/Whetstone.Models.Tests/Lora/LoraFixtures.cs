using Whetstone.Models.Lora;
using Whetstone.Models.Tests.Transformer;
using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Tests.Lora;

/// <summary>Shared helpers: tape logits, random B (a fresh adapter has B = 0, which hides most bugs).</summary>
internal static class LoraFixtures
{
    public static LoraConfig AllTargets(int rank = 4, float alpha = 8, float dropout = 0f, ulong seed = 11) => new()
    {
        Rank = rank, Alpha = alpha, Dropout = dropout, Seed = seed, TargetModules = LoraConfig.AllProjections,
    };

    /// <summary>Logits (B·T·V) of a no-grad tape forward.</summary>
    public static float[] Logits(TransformerModel model, int[] ids, int batch = 1)
    {
        using var tape = new Tape();
        using var _ = tape.NoGrad();
        return model.Forward(tape, ids, batch, ids.Length / batch).ToArray();
    }

    /// <summary>Gives every B a random value so that the adapters change the output.</summary>
    public static void RandomizeB(LoraModel lora, ulong seed, float std = 0.1f)
    {
        var rng = new Rng(seed);
        foreach (var l in lora.Layers) rng.FillNormal(l.B.AsSpan(), 0f, std);
    }

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }

    public static Dictionary<string, float[]> Snapshot(TransformerModel model) =>
        model.Parameters.ToDictionary(p => p.Name, p => p.Value.ToArray());

    public static (TransformerModel Model, int[] Ids) TinyModel(string family, ulong seed = 3)
    {
        var config = TinyConfigs.ByName(family);
        var model = TransformerModel.Create(config, seed: seed, std: 0.3f);
        TinyConfigs.Perturb(model, seed + 1);
        return (model, TinyConfigs.RandomIds(8, config.VocabSize, seed + 2));
    }
}
