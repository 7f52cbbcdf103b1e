using Whetstone.Models.Generation;
using Whetstone.Models.Lora;
using Whetstone.Models.Tests.Transformer;
using static Whetstone.Models.Tests.Lora.LoraFixtures;

namespace Whetstone.Models.Tests.Lora;

public class LoraMergeTests
{
    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void Merging_gives_the_unmerged_logits_and_unmerging_restores_the_weights(string family)
    {
        var (model, ids) = TinyModel(family);
        using var _m = model;
        var baseWeights = Snapshot(model);
        using var lora = LoraModel.Attach(model, AllTargets());
        RandomizeB(lora, 21);
        var unmerged = Logits(model, ids);

        lora.Merge();
        Assert.True(lora.IsMerged);
        var merged = Logits(model, ids);
        Assert.True(MaxAbsDiff(unmerged, merged) <= 1e-5f, $"merged vs unmerged: {MaxAbsDiff(unmerged, merged)}");
        using (var engine = new InferenceEngine(model))
        using (var cache = engine.CreateCache(16))
            Assert.True(MaxAbsDiff(unmerged, engine.ForwardAllLogits(cache, ids)) <= 1e-4f);
        Assert.Throws<InvalidOperationException>(() => lora.Merge());
        Assert.Throws<InvalidOperationException>(() => lora.DisableAdapters());

        lora.Unmerge();
        foreach (var p in model.Parameters)
            Assert.True(MaxAbsDiff(baseWeights[p.Name], p.Value.AsSpan()) <= 1e-6f, p.Name);
        Assert.True(MaxAbsDiff(unmerged, Logits(model, ids)) <= 1e-5f);
        Assert.Throws<InvalidOperationException>(() => lora.Unmerge());
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void With_adapters_disabled_the_model_is_the_base_model_on_the_tape_and_in_the_engine(string family)
    {
        var (model, ids) = TinyModel(family);
        using var _m = model;
        var plain = Logits(model, ids);
        float[] plainEngine;
        using (var engine = new InferenceEngine(model))
        using (var cache = engine.CreateCache(16))
            plainEngine = engine.ForwardAllLogits(cache, ids);

        using var lora = LoraModel.Attach(model, AllTargets(dropout: 0.1f));
        RandomizeB(lora, 22);
        var adapted = Logits(model, ids);
        Assert.True(MaxAbsDiff(plain, adapted) > 1e-3f);
        using (lora.DisableAdapters())
        {
            Assert.False(lora.AdaptersEnabled);
            Assert.Equal(plain, Logits(model, ids));
            using (lora.DisableAdapters()) Assert.Equal(plain, Logits(model, ids));   // scopes nest
            Assert.False(lora.AdaptersEnabled);
            using var engine = new InferenceEngine(model);
            using var cache = engine.CreateCache(16);
            Assert.Equal(plainEngine, engine.ForwardAllLogits(cache, ids));
        }
        Assert.True(lora.AdaptersEnabled);
        lora.Training = false;
        Assert.True(MaxAbsDiff(plain, Logits(model, ids)) > 1e-3f);
    }

    [Fact]
    public void Detach_and_dispose_remove_the_adapters_from_the_model()
    {
        var (model, ids) = TinyModel("llama");
        using var _m = model;
        var plain = Logits(model, ids);
        var lora = LoraModel.Attach(model, AllTargets());
        RandomizeB(lora, 23);
        Assert.All(model.Blocks.SelectMany(b => b.Projections()), p => Assert.NotNull(p.Layer.Extension));
        lora.Dispose();
        Assert.All(model.Blocks.SelectMany(b => b.Projections()), p => Assert.Null(p.Layer.Extension));
        Assert.Equal(plain, Logits(model, ids));
        using var again = LoraModel.Attach(model, AllTargets());   // the projections are free again
    }
}
