using System.Text.Json.Nodes;
using Whetstone.Models.Checkpoints;
using Whetstone.Models.Configuration;
using Whetstone.Models.Tokenization.Training;

namespace Whetstone.Models.Tests.Gguf;

/// <summary>Writes tiny random Hugging Face model directories (config, safetensors, tokenizer) to export.</summary>
internal static class TinyHfModel
{
    public const string ChatTemplate = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";

    /// <summary>A tokenizer trained on a few sentences: 256 bytes, some merges, 3 special and 4 non-special added tokens.</summary>
    public static TrainedBpe Tokenizer { get; } = new BpeTrainer(new BpeTrainerOptions { VocabSize = 300 })
        .Train(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. Hello world! 12345 tool calls", 4));

    /// <summary>A config of <paramref name="family"/> sized for tests.</summary>
    public static ModelConfig Config(ModelFamily family, bool tied = true, int vocabSize = 320) => new()
    {
        Family = family,
        VocabSize = vocabSize,
        HiddenSize = 32,
        IntermediateSize = 48,
        NumLayers = 2,
        NumHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = family == ModelFamily.Qwen3 ? 16 : 8,
        MaxPositionEmbeddings = 256,
        RmsNormEps = 1e-5f,
        RopeTheta = 10000,
        TieWordEmbeddings = tied,
        AttentionBias = family == ModelFamily.Qwen2,
        QkNorm = family == ModelFamily.Qwen3,
        BosTokenId = null,
        EosTokenIds = [Tokenizer.AddedTokens[2].Id],
    };

    /// <summary>The HF tensors of <paramref name="c"/> with seeded random values.</summary>
    public static List<NamedTensor> Weights(ModelConfig c, int seed = 1, float scale = 0.5f)
    {
        var random = new Random(seed);
        var list = new List<NamedTensor>();
        void T(string name, params int[] shape)
        {
            int n = shape.Aggregate(1, (a, d) => a * d);
            var data = new float[n];
            for (int i = 0; i < n; i++)
                data[i] = name.EndsWith("norm.weight", StringComparison.Ordinal)
                    ? 1f + 0.1f * (float)(random.NextDouble() * 2 - 1)
                    : scale * (float)(random.NextDouble() * 2 - 1);
            list.Add(new NamedTensor(name, shape, data));
        }
        int d = c.HiddenSize, q = c.NumHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
        T("model.embed_tokens.weight", c.VocabSize, d);
        for (int i = 0; i < c.NumLayers; i++)
        {
            string p = $"model.layers.{i}.";
            T(p + "input_layernorm.weight", d);
            T(p + "self_attn.q_proj.weight", q, d);
            T(p + "self_attn.k_proj.weight", kv, d);
            T(p + "self_attn.v_proj.weight", kv, d);
            if (c.AttentionBias)
            {
                T(p + "self_attn.q_proj.bias", q);
                T(p + "self_attn.k_proj.bias", kv);
                T(p + "self_attn.v_proj.bias", kv);
            }
            T(p + "self_attn.o_proj.weight", d, q);
            if (c.OutputBias)
                T(p + "self_attn.o_proj.bias", d);
            if (c.QkNorm)
            {
                T(p + "self_attn.q_norm.weight", c.HeadDim);
                T(p + "self_attn.k_norm.weight", c.HeadDim);
            }
            T(p + "post_attention_layernorm.weight", d);
            T(p + "mlp.gate_proj.weight", c.IntermediateSize, d);
            T(p + "mlp.up_proj.weight", c.IntermediateSize, d);
            T(p + "mlp.down_proj.weight", d, c.IntermediateSize);
        }
        T("model.norm.weight", d);
        if (!c.TieWordEmbeddings)
            T("lm_head.weight", c.VocabSize, d);
        return list;
    }

    /// <summary>Writes config.json, model.safetensors, tokenizer.json and tokenizer_config.json into <paramref name="dir"/>.</summary>
    public static List<NamedTensor> Write(string dir, ModelConfig config, int seed = 1)
    {
        Directory.CreateDirectory(dir);
        ModelConfigJson.Save(config, dir);
        var weights = Weights(config, seed);
        CheckpointWriter.Write(dir, weights);
        Tokenizer.Save(dir);
        var tokenizerConfig = new JsonObject
        {
            ["bos_token"] = null,
            ["eos_token"] = "<|im_end|>",
            ["pad_token"] = "<|endoftext|>",
            ["add_bos_token"] = false,
            ["chat_template"] = ChatTemplate,
        };
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), tokenizerConfig.ToJsonString());
        return weights;
    }
}
