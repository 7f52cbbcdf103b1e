using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Models.Checkpoints;

namespace Whetstone.Models.Configuration;

/// <summary>Reads and writes Hugging Face <c>config.json</c> for the Llama, Qwen2 and Qwen3 families.</summary>
public static class ModelConfigJson
{
    /// <summary>The file name inside a model directory.</summary>
    public const string FileName = "config.json";

    /// <summary>Reads <c>config.json</c> from a model directory or a file path.</summary>
    /// <exception cref="FileNotFoundException">There is no config.json.</exception>
    /// <exception cref="InvalidDataException">A field is missing, of the wrong type, or unsupported; the message names it.</exception>
    public static ModelConfig Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
            throw new FileNotFoundException($"No {FileName} at {file}.", file);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not valid JSON ({e.Message}).", e);
        }
        return Parse(root as JsonObject ?? throw new InvalidDataException($"{file}: not a JSON object."), file);
    }

    /// <summary>Parses a config object; <paramref name="source"/> names it in error messages.</summary>
    public static ModelConfig Parse(JsonObject json, string source = FileName)
    {
        var reader = new FieldReader(json, source);
        var architecture = reader.Architecture();
        var family = architecture switch
        {
            "LlamaForCausalLM" => ModelFamily.Llama,
            "Qwen2ForCausalLM" => ModelFamily.Qwen2,
            "Qwen3ForCausalLM" => ModelFamily.Qwen3,
            _ => throw new InvalidDataException(
                $"{source}: field \"architectures\" is {architecture}; Whetstone runs LlamaForCausalLM, Qwen2ForCausalLM and Qwen3ForCausalLM."),
        };
        var act = reader.OptionalString("hidden_act") ?? "silu";
        if (act != "silu")
            throw new InvalidDataException($"{source}: field \"hidden_act\" is \"{act}\"; only \"silu\" is supported.");
        if (reader.OptionalBool("mlp_bias") == true)
            throw new InvalidDataException($"{source}: field \"mlp_bias\" is true; MLP biases are not supported.");

        var ropeScaling = reader.RopeScaling();
        int hidden = reader.Int("hidden_size");
        int heads = reader.Int("num_attention_heads");
        bool attentionBias = reader.OptionalBool("attention_bias") ?? false;
        var config = new ModelConfig
        {
            Family = family,
            VocabSize = reader.Int("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = reader.Int("intermediate_size"),
            NumLayers = reader.Int("num_hidden_layers"),
            NumHeads = heads,
            NumKeyValueHeads = reader.OptionalInt("num_key_value_heads") ?? heads,
            HeadDim = reader.OptionalInt("head_dim") ?? hidden / heads,
            MaxPositionEmbeddings = reader.OptionalInt("max_position_embeddings") ?? 2048,
            RmsNormEps = (float)(reader.OptionalDouble("rms_norm_eps") ?? 1e-6),
            RopeTheta = reader.OptionalDouble("rope_theta") ?? 10000,
            RopeScaling = ropeScaling,
            TieWordEmbeddings = reader.OptionalBool("tie_word_embeddings") ?? false,
            AttentionBias = family == ModelFamily.Qwen2 || (family == ModelFamily.Llama && attentionBias),
            OutputBias = family == ModelFamily.Llama && attentionBias,
            QkNorm = family == ModelFamily.Qwen3,
            BosTokenId = reader.OptionalInt("bos_token_id"),
            EosTokenIds = reader.IntOrIntList("eos_token_id"),
        };
        config.Validate(source);
        return config;
    }

    /// <summary>The HF <c>config.json</c> object for <paramref name="config"/>.</summary>
    public static JsonObject ToJson(ModelConfig config)
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(config.Architecture),
            ["model_type"] = config.ModelType,
            ["vocab_size"] = config.VocabSize,
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_hidden_layers"] = config.NumLayers,
            ["num_attention_heads"] = config.NumHeads,
            ["num_key_value_heads"] = config.NumKeyValueHeads,
            ["head_dim"] = config.HeadDim,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = config.MaxPositionEmbeddings,
            ["rms_norm_eps"] = config.RmsNormEps,
            ["rope_theta"] = config.RopeTheta,
            ["tie_word_embeddings"] = config.TieWordEmbeddings,
            ["torch_dtype"] = "float32",
        };
        if (config.Family == ModelFamily.Llama || config.Family == ModelFamily.Qwen3)
            json["attention_bias"] = config.Family == ModelFamily.Llama && config.AttentionBias;
        json["rope_scaling"] = config.RopeScaling is { } s
            ? new JsonObject
            {
                ["rope_type"] = "llama3",
                ["factor"] = s.Factor,
                ["low_freq_factor"] = s.LowFreqFactor,
                ["high_freq_factor"] = s.HighFreqFactor,
                ["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings,
            }
            : null;
        if (config.BosTokenId is int bos)
            json["bos_token_id"] = bos;
        if (config.EosTokenIds.Count == 1)
            json["eos_token_id"] = config.EosTokenIds[0];
        else if (config.EosTokenIds.Count > 1)
            json["eos_token_id"] = new JsonArray(config.EosTokenIds.Select(i => (JsonNode)i).ToArray());
        return json;
    }

    /// <summary>Writes <c>config.json</c> into <paramref name="directory"/>, atomically.</summary>
    public static void Save(ModelConfig config, string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName),
            ToJson(config).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Typed access to config fields, with errors that name the field.</summary>
    private sealed class FieldReader(JsonObject json, string source)
    {
        private InvalidDataException Error(string field, string problem) => new($"{source}: field \"{field}\" {problem}.");

        public string Architecture()
        {
            if (json["architectures"] is JsonArray { Count: > 0 } a && a[0] is JsonValue v && v.TryGetValue(out string? s))
                return s;
            // Some configs carry only model_type; map it to the architecture it implies.
            return OptionalString("model_type") switch
            {
                "llama" => "LlamaForCausalLM",
                "qwen2" => "Qwen2ForCausalLM",
                "qwen3" => "Qwen3ForCausalLM",
                null => throw Error("architectures", "is missing (and so is model_type)"),
                var other => other,
            };
        }

        public int Int(string field) => OptionalInt(field) ?? throw Error(field, "is missing");

        public int? OptionalInt(string field) => json[field] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out int i) => i,
            JsonValue v when v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
            var other => throw Error(field, $"must be an integer, got {other.ToJsonString()}"),
        };

        public double? OptionalDouble(string field) => json[field] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out double d) => d,
            var other => throw Error(field, $"must be a number, got {other.ToJsonString()}"),
        };

        public bool? OptionalBool(string field) => json[field] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out bool b) => b,
            var other => throw Error(field, $"must be true or false, got {other.ToJsonString()}"),
        };

        public string? OptionalString(string field) => json[field] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            var other => throw Error(field, $"must be a string, got {other.ToJsonString()}"),
        };

        public IReadOnlyList<int> IntOrIntList(string field) => json[field] switch
        {
            null => [],
            JsonArray a => a.Select((n, i) => n is JsonValue v && v.TryGetValue(out int x)
                ? x
                : throw Error($"{field}[{i}]", "must be an integer")).ToList(),
            _ => [Int(field)],
        };

        public RopeScaling? RopeScaling()
        {
            if (json["rope_scaling"] is not JsonObject s)
                return json["rope_scaling"] is null ? null : throw Error("rope_scaling", "must be an object or null");
            var inner = new FieldReader(s, source);
            var type = inner.OptionalString("rope_type") ?? inner.OptionalString("type");
            if (type is null or "default")
                return null;
            if (type != "llama3")
                throw Error("rope_scaling.rope_type", $"is \"{type}\"; only \"llama3\" scaling is supported");
            return new RopeScaling(
                inner.OptionalDouble("factor") ?? throw Error("rope_scaling.factor", "is missing"),
                inner.OptionalDouble("low_freq_factor") ?? 1,
                inner.OptionalDouble("high_freq_factor") ?? 4,
                inner.OptionalInt("original_max_position_embeddings") ?? 8192);
        }
    }
}
