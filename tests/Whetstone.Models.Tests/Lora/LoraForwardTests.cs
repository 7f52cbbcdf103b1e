using Whetstone.Models.Generation;
using Whetstone.Models.Lora;
using Whetstone.Models.Tests.Transformer;
using Whetstone.Tensors;
using static Whetstone.Models.Tests.Lora.LoraFixtures;

namespace Whetstone.Models.Tests.Lora;

public class LoraForwardTests
{
    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void A_fresh_adapter_with_B_zero_leaves_the_output_bit_identical(string family)
    {
        var (model, ids) = TinyModel(family);
        using var _m = model;
        var plainTape = Logits(model, ids);
        float[] plainEngine;
        using (var engine = new InferenceEngine(model))
        using (var cache = engine.CreateCache(16))
            plainEngine = engine.ForwardAllLogits(cache, ids);

        using var lora = LoraModel.Attach(model, AllTargets(dropout: 0.2f));
        Assert.All(lora.Layers, l => Assert.All(l.B.ToArray(), v => Assert.Equal(0f, v)));
        Assert.Equal(plainTape, Logits(model, ids));          // even with dropout on: B = 0 kills the delta
        using (var engine = new InferenceEngine(model))
        using (var cache = engine.CreateCache(16))
            Assert.Equal(plainEngine, engine.ForwardAllLogits(cache, ids));
    }

    [Fact]
    public void A_is_kaiming_uniform_within_one_over_sqrt_fan_in_and_named_like_peft()
    {
        var (model, _) = TinyModel("qwen2");
        using var _m = model;
        using var lora = LoraModel.Attach(model, new LoraConfig { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "down_proj"] });
        Assert.Equal(2 * 2 * model.Blocks.Count, lora.Parameters.Count);
        Assert.Equal("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", lora.Parameters[0].Name);
        Assert.Equal("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", lora.Parameters[1].Name);
        Assert.Equal("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight", lora.Parameters[2].Name);
        Assert.Equal("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", lora.Parameters[7].Name);
        foreach (var l in lora.Layers)
        {
            Assert.Equal(new Shape(2, l.Layer.InFeatures), l.A.Shape);
            Assert.Equal(new Shape(l.Layer.OutFeatures, 2), l.B.Shape);
            Assert.Equal(2f, l.Scaling);
            float bound = 1f / MathF.Sqrt(l.Layer.InFeatures);
            var a = l.A.ToArray();
            Assert.All(a, v => Assert.InRange(v, -bound, bound));
            Assert.True(a.Max() - a.Min() > bound, "A should spread over its range");
        }
        Assert.All(model.Parameters, p => Assert.False(p.Value.RequiresGrad));
        Assert.All(lora.Parameters, p => Assert.True(p.Value.RequiresGrad));
    }

    [Fact]
    public void Attaching_twice_to_the_same_projection_is_refused_and_bad_configs_are_named()
    {
        var (model, _) = TinyModel("llama");
        using var _m = model;
        using var lora = LoraModel.Attach(model, AllTargets());
        Assert.Throws<InvalidOperationException>(() => LoraModel.Attach(model, AllTargets()));
        var e = Assert.Throws<ArgumentException>(() => new LoraConfig { TargetModules = ["lm_head"] }.Validate());
        Assert.Contains("lm_head", e.Message);
        Assert.Throws<ArgumentException>(() => new LoraConfig { Rank = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new LoraConfig { Dropout = 1f }.Validate());
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void The_inference_engine_adds_the_same_delta_as_the_tape(string family)
    {
        var (model, ids) = TinyModel(family);
        using var _m = model;
        var plain = Logits(model, ids);
        using var lora = LoraModel.Attach(model, AllTargets(dropout: 0.3f));
        RandomizeB(lora, 5);
        lora.Training = false;   // dropout is a training-only op; generation never applies it
        var tape = Logits(model, ids);
        Assert.True(MaxAbsDiff(plain, tape) > 1e-3f, "the adapter should change the logits");
        using var engine = new InferenceEngine(model);
        using var cache = engine.CreateCache(16);
        var inference = engine.ForwardAllLogits(cache, ids);
        Assert.True(MaxAbsDiff(tape, inference) <= 1e-4f, $"max diff {MaxAbsDiff(tape, inference)}");

        // Incremental decode through the cache (single-row products) agrees as well.
        using var cache2 = engine.CreateCache(16);
        var step = new float[model.Config.VocabSize];
        engine.Forward([new ForwardSegment(cache2, ids.AsMemory(0, ids.Length - 1))], step);
        engine.Forward([new ForwardSegment(cache2, ids.AsMemory(ids.Length - 1, 1))], step);
        int v = model.Config.VocabSize;
        Assert.True(MaxAbsDiff(tape.AsSpan((ids.Length - 1) * v, v), step) <= 1e-4f);
    }

    [Fact]
    public void Dropout_acts_only_in_training_mode_and_is_reproducible_from_the_seed()
    {
        float[] Run(ulong seed, bool training)
        {
            var (model, ids) = TinyModel("qwen3");
            using var _m = model;
            using var lora = LoraModel.Attach(model, AllTargets(dropout: 0.5f, seed: seed));
            RandomizeB(lora, 9);
            lora.Training = training;
            return Logits(model, ids);
        }
        var eval = Run(1, false);
        Assert.Equal(eval, Run(1, false));
        var train1 = Run(1, true);
        Assert.True(MaxAbsDiff(eval, train1) > 1e-4f);
        Assert.Equal(train1, Run(1, true));
        Assert.True(MaxAbsDiff(train1, Run(2, true)) > 1e-6f);
    }
}
