using Whetstone.Models.Checkpoints;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Tests.Transformer;

public sealed class TransformerCheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "whet-transformer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static float[] Logits(TransformerModel model, int[] ids)
    {
        using var tape = new Tape();
        using var _ = tape.NoGrad();
        return model.Forward(tape, ids, 1, ids.Length).ToArray();
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.All), MemberType = typeof(TinyConfigs))]
    public void Save_then_load_gives_identical_logits(string family)
    {
        var config = TinyConfigs.ByName(family);
        using var model = TransformerModel.Create(config, seed: 21, std: 0.2f);
        TinyConfigs.Perturb(model, 22);
        model.Save(_dir);
        Assert.True(File.Exists(Path.Combine(_dir, "config.json")));
        Assert.True(File.Exists(Path.Combine(_dir, "model.safetensors")));
        using var loaded = TransformerModel.Load(_dir);
        Assert.Equal(config with { }, loaded.Config with { EosTokenIds = config.EosTokenIds });
        Assert.Equal(model.Parameters.Select(p => p.Name), loaded.Parameters.Select(p => p.Name));
        var ids = TinyConfigs.RandomIds(9, config.VocabSize, 23);
        Assert.Equal(Logits(model, ids), Logits(loaded, ids));
    }

    [Fact]
    public void Parameter_names_follow_hugging_face()
    {
        using var qwen2 = TransformerModel.Create(TinyConfigs.Qwen2());
        var names = qwen2.Parameters.Select(p => p.Name).ToHashSet();
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Contains("model.layers.1.self_attn.q_proj.bias", names);
        Assert.Contains("model.layers.0.mlp.down_proj.weight", names);
        Assert.Contains("model.layers.0.post_attention_layernorm.weight", names);
        Assert.Contains("model.norm.weight", names);
        Assert.DoesNotContain("lm_head.weight", names);
        Assert.Equal(TinyConfigs.Qwen2().ParameterCount(), qwen2.Parameters.ElementCount);
        Assert.Equal([32, 16], new[] { qwen2.Parameters["model.layers.0.mlp.gate_proj.weight"].Value.Shape[0], qwen2.Parameters["model.layers.0.mlp.gate_proj.weight"].Value.Shape[1] });

        using var qwen3 = TransformerModel.Create(TinyConfigs.Qwen3());
        Assert.True(qwen3.Parameters.TryGet("model.layers.1.self_attn.k_norm.weight", out _));
        using var llama = TransformerModel.Create(TinyConfigs.Llama());
        Assert.True(llama.Parameters.TryGet("lm_head.weight", out _));
        Assert.Equal(TinyConfigs.Llama().ParameterCount(), llama.Parameters.ElementCount);
    }

    [Fact]
    public void Loading_a_misshapen_tensor_fails_naming_it()
    {
        var config = TinyConfigs.Qwen2();
        using var model = TransformerModel.Create(config, seed: 1);
        var tensors = model.Parameters.Select(p =>
        {
            var data = p.Value.ToArray();
            int[] shape = p.Name == "model.layers.1.self_attn.k_proj.weight" ? [4, data.Length / 4] : ShapeOf(p.Value);
            return new NamedTensor(p.Name, shape, data);
        }).ToList();
        CheckpointWriter.Write(_dir, tensors);
        ModelConfigJson.Save(config, _dir);
        var e = Assert.Throws<InvalidDataException>(() => TransformerModel.Load(_dir));
        Assert.Contains("model.layers.1.self_attn.k_proj.weight", e.Message);
    }

    [Fact]
    public void Loading_without_a_tensor_fails_naming_it()
    {
        var config = TinyConfigs.Llama();
        using var model = TransformerModel.Create(config, seed: 1);
        var tensors = model.Parameters.Where(p => p.Name != "lm_head.weight")
            .Select(p => new NamedTensor(p.Name, ShapeOf(p.Value), p.Value.ToArray())).ToList();
        CheckpointWriter.Write(_dir, tensors);
        ModelConfigJson.Save(config, _dir);
        var e = Assert.Throws<KeyNotFoundException>(() => TransformerModel.Load(_dir));
        Assert.Contains("lm_head.weight", e.Message);
    }

    [Fact]
    public void Half_precision_checkpoints_load_close_to_the_f32_weights()
    {
        var config = TinyConfigs.Qwen3();
        using var model = TransformerModel.Create(config, seed: 2, std: 0.2f);
        model.Save(_dir, TensorDType.BF16);
        using var loaded = TransformerModel.Load(_dir);
        var a = model.Parameters["model.layers.0.mlp.up_proj.weight"].Value.ToArray();
        var b = loaded.Parameters["model.layers.0.mlp.up_proj.weight"].Value.ToArray();
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= Math.Abs(a[i]) / 128 + 1e-30, $"{a[i]} vs {b[i]}");
    }

    private static int[] ShapeOf(Whetstone.Tensors.Tensor t)
    {
        var dims = new int[t.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = t.Shape[i];
        return dims;
    }
}
