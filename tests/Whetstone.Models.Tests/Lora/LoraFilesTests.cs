using System.Text.Json;
using Whetstone.Models.Checkpoints;
using Whetstone.Models.Lora;
using static Whetstone.Models.Tests.Lora.LoraFixtures;

namespace Whetstone.Models.Tests.Lora;

public sealed class LoraFilesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "whet-lora-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Save_then_load_gives_identical_logits_with_peft_key_names()
    {
        var (model, ids) = TinyModel("qwen2");
        using var _m = model;
        var config = new LoraConfig
        {
            Rank = 3, Alpha = 16, Dropout = 0.05f, TargetModules = ["v_proj", "q_proj", "up_proj"],
            BaseModelNameOrPath = "Qwen/Qwen2.5-0.5B",
        };
        float[] adapted;
        using (var lora = LoraModel.Attach(model, config))
        {
            RandomizeB(lora, 31);
            lora.Training = false;
            adapted = Logits(model, ids);
            lora.Save(_dir);
        }
        Assert.Equal(["adapter_config.json", "adapter_model.safetensors"],
            Directory.GetFiles(_dir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());

        using (var file = SafetensorsFile.Open(Path.Combine(_dir, LoraModel.WeightsFileName)))
        {
            Assert.Equal(2 * 3 * model.Blocks.Count, file.Entries.Count);
            var q = file.Entries["base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight"];
            Assert.Equal("F32", q.DType);
            Assert.Equal(new[] { 3, model.Config.HiddenSize }, q.Shape);
            var up = file.Entries["base_model.model.model.layers.0.mlp.up_proj.lora_B.weight"];
            Assert.Equal(new[] { model.Config.IntermediateSize, 3 }, up.Shape);
            Assert.All(file.Entries.Keys, k => Assert.DoesNotContain(".default.", k));
        }

        using (var loaded = LoraModel.Load(model, _dir))
        {
            loaded.Training = false;
            Assert.Equal(adapted, Logits(model, ids));
            Assert.Equal(16f / 3f, loaded.Layers[0].Scaling);
        }
    }

    [Fact]
    public void Adapter_config_json_has_the_fields_peft_writes()
    {
        var json = PeftAdapterConfig.ToJson(new LoraConfig
        {
            Rank = 16, Alpha = 32, Dropout = 0.05f, TargetModules = ["v_proj", "q_proj"], BaseModelNameOrPath = "Qwen/Qwen2.5-0.5B",
        });
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("LORA", root.GetProperty("peft_type").GetString());
        Assert.Equal("CAUSAL_LM", root.GetProperty("task_type").GetString());
        Assert.Equal(16, root.GetProperty("r").GetInt32());
        Assert.Equal("32", root.GetProperty("lora_alpha").GetRawText());         // Python writes an int alpha as an int
        Assert.Equal("0.05", root.GetProperty("lora_dropout").GetRawText());
        Assert.Equal("none", root.GetProperty("bias").GetString());
        Assert.False(root.GetProperty("fan_in_fan_out").GetBoolean());
        Assert.True(root.GetProperty("inference_mode").GetBoolean());
        Assert.True(root.GetProperty("init_lora_weights").GetBoolean());
        Assert.False(root.GetProperty("use_rslora").GetBoolean());
        Assert.False(root.GetProperty("use_dora").GetBoolean());
        Assert.Equal("Qwen/Qwen2.5-0.5B", root.GetProperty("base_model_name_or_path").GetString());
        Assert.Equal(["q_proj", "v_proj"], root.GetProperty("target_modules").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("rank_pattern").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("modules_to_save").ValueKind);
        var keys = root.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);                  // sort_keys=True, as PEFT
        Assert.Contains("\n  \"r\": 16,", json);                                // two-space indent

        var back = PeftAdapterConfig.Parse(json, "adapter_config.json");
        Assert.Equal(16, back.Rank);
        Assert.Equal(32f, back.Alpha);
        Assert.Equal(0.05f, back.Dropout);
        Assert.Equal(2f, back.Scaling);
    }

    [Fact]
    public void A_config_written_by_peft_parses_including_all_linear_and_rslora()
    {
        const string peft = """
            {"alpha_pattern": {}, "auto_mapping": null, "base_model_name_or_path": "HuggingFaceTB/SmolLM2-135M",
             "bias": "none", "fan_in_fan_out": false, "inference_mode": true, "init_lora_weights": true,
             "layers_pattern": null, "layers_to_transform": null, "loftq_config": {}, "lora_alpha": 64.0,
             "lora_dropout": 0.0, "megatron_config": null, "megatron_core": "megatron.core", "modules_to_save": null,
             "peft_type": "LORA", "r": 16, "rank_pattern": {}, "revision": null, "target_modules": "all-linear",
             "task_type": "CAUSAL_LM", "use_dora": false, "use_rslora": true, "some_future_field": [1, 2]}
            """;
        var c = PeftAdapterConfig.Parse(peft, "x.json");
        Assert.Equal(LoraConfig.AllProjections, c.TargetModules);
        Assert.Equal(16f, c.Scaling);                                            // 64/√16
        Assert.Equal("HuggingFaceTB/SmolLM2-135M", c.BaseModelNameOrPath);
    }

    [Theory]
    [InlineData("\"peft_type\": \"LORA\"", "\"peft_type\": \"IA3\"", "peft_type")]
    [InlineData("\"use_dora\": false", "\"use_dora\": true", "use_dora")]
    [InlineData("\"fan_in_fan_out\": false", "\"fan_in_fan_out\": true", "fan_in_fan_out")]
    [InlineData("\"bias\": \"none\"", "\"bias\": \"all\"", "bias")]
    [InlineData("\"rank_pattern\": {}", "\"rank_pattern\": {\"q_proj\": 4}", "rank_pattern")]
    [InlineData("\"r\": 8", "\"r\": \"8\"", "'r'")]
    [InlineData("\"q_proj\"", "\"embed_tokens\"", "embed_tokens")]
    public void Unsupported_or_malformed_config_fields_are_named(string from, string to, string expected)
    {
        var json = PeftAdapterConfig.ToJson(new LoraConfig { TargetModules = ["q_proj", "v_proj"] }).Replace(from, to);
        Assert.Contains(to, json);
        var e = Assert.Throws<InvalidDataException>(() => PeftAdapterConfig.Parse(json, "dir/adapter_config.json"));
        Assert.Contains("dir/adapter_config.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Loading_names_missing_misshapen_and_unexpected_tensors()
    {
        var (model, _) = TinyModel("llama");
        using var _m = model;
        using (var lora = LoraModel.Attach(model, new LoraConfig { Rank = 2, TargetModules = ["q_proj", "v_proj"] }))
            lora.Save(_dir);
        var weights = Path.Combine(_dir, LoraModel.WeightsFileName);
        using (var file = SafetensorsFile.Open(weights)) { }

        // Rank mismatch: config says r=4, the tensors are r=2.
        File.WriteAllText(Path.Combine(_dir, PeftAdapterConfig.FileName),
            PeftAdapterConfig.ToJson(new LoraConfig { Rank = 4, TargetModules = ["q_proj", "v_proj"] }));
        var e = Assert.Throws<InvalidDataException>(() => LoraModel.Load(model, _dir));
        Assert.Contains("has shape (2, 16), expected (4, 16)", e.Message);
        Assert.Contains("adapter_model.safetensors", e.Message);
        Assert.All(model.Blocks.SelectMany(b => b.Projections()), p => Assert.Null(p.Layer.Extension));   // failed load detaches

        // A target the file lacks.
        File.WriteAllText(Path.Combine(_dir, PeftAdapterConfig.FileName),
            PeftAdapterConfig.ToJson(new LoraConfig { Rank = 2, TargetModules = ["q_proj", "v_proj", "o_proj"] }));
        e = Assert.Throws<InvalidDataException>(() => LoraModel.Load(model, _dir));
        Assert.Contains("base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight' is missing", e.Message);

        // Tensors the config does not account for.
        File.WriteAllText(Path.Combine(_dir, PeftAdapterConfig.FileName),
            PeftAdapterConfig.ToJson(new LoraConfig { Rank = 2, TargetModules = ["q_proj"] }));
        e = Assert.Throws<InvalidDataException>(() => LoraModel.Load(model, _dir));
        Assert.Contains("unexpected tensor", e.Message);
        Assert.Contains("v_proj", e.Message);

        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        Assert.Throws<FileNotFoundException>(() => LoraModel.Load(model, Path.Combine(_dir, "empty")));
    }
}
