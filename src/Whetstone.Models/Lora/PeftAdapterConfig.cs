using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Whetstone.Models.Lora;

/// <summary>
/// Reads and writes PEFT's <c>adapter_config.json</c> for a LoRA adapter. Written like PEFT's <c>save_pretrained</c>:
/// every LoraConfig field, keys sorted, two-space indent, <c>inference_mode: true</c>. Read leniently (unknown keys
/// ignored) but strictly about what would change the maths: DoRA, per-layer rank/alpha patterns, fan_in_fan_out,
/// trained biases and layer subsets are rejected with the field named.
/// </summary>
public static class PeftAdapterConfig
{
    /// <summary>File name PEFT uses.</summary>
    public const string FileName = "adapter_config.json";

    /// <summary>The JSON PEFT would write for <paramref name="config"/>.</summary>
    public static string ToJson(LoraConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var targets = config.TargetModules.Distinct().Order(StringComparer.Ordinal).ToArray();
        var fields = new SortedDictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal)
        {
            ["alpha_pattern"] = w => EmptyObject(w),
            ["auto_mapping"] = w => w.WriteNullValue(),
            ["base_model_name_or_path"] = w => { if (config.BaseModelNameOrPath is null) w.WriteNullValue(); else w.WriteStringValue(config.BaseModelNameOrPath); },
            ["bias"] = w => w.WriteStringValue("none"),
            ["eva_config"] = w => w.WriteNullValue(),
            ["exclude_modules"] = w => w.WriteNullValue(),
            ["fan_in_fan_out"] = w => w.WriteBooleanValue(false),
            ["inference_mode"] = w => w.WriteBooleanValue(true),
            ["init_lora_weights"] = w => w.WriteBooleanValue(true),
            ["layer_replication"] = w => w.WriteNullValue(),
            ["layers_pattern"] = w => w.WriteNullValue(),
            ["layers_to_transform"] = w => w.WriteNullValue(),
            ["loftq_config"] = w => EmptyObject(w),
            ["lora_alpha"] = w => w.WriteRawValue(PythonNumber(config.Alpha, intIfWhole: true)),
            ["lora_bias"] = w => w.WriteBooleanValue(false),
            ["lora_dropout"] = w => w.WriteRawValue(PythonNumber(config.Dropout, intIfWhole: false)),
            ["megatron_config"] = w => w.WriteNullValue(),
            ["megatron_core"] = w => w.WriteStringValue("megatron.core"),
            ["modules_to_save"] = w => w.WriteNullValue(),
            ["peft_type"] = w => w.WriteStringValue("LORA"),
            ["r"] = w => w.WriteNumberValue(config.Rank),
            ["rank_pattern"] = w => EmptyObject(w),
            ["revision"] = w => w.WriteNullValue(),
            ["target_modules"] = w =>
            {
                w.WriteStartArray();
                foreach (var t in targets) w.WriteStringValue(t);
                w.WriteEndArray();
            },
            ["task_type"] = w => w.WriteStringValue("CAUSAL_LM"),
            ["use_dora"] = w => w.WriteBooleanValue(false),
            ["use_rslora"] = w => w.WriteBooleanValue(config.UseRsLora),
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var (key, write) in fields)
            {
                writer.WritePropertyName(key);
                write(writer);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Parses adapter_config.json text; <paramref name="source"/> names the file in errors.</summary>
    /// <exception cref="InvalidDataException">Not a LoRA config Whetstone can apply exactly; the message names the field.</exception>
    public static LoraConfig Parse(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not valid JSON ({e.Message})", e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad(source, "(root)", "expected a JSON object");
            string peftType = root.TryGetProperty("peft_type", out var pt) && pt.ValueKind == JsonValueKind.String ? pt.GetString()! : "";
            if (peftType != "LORA") throw Bad(source, "peft_type", $"expected \"LORA\", got \"{peftType}\"");

            int rank = root.TryGetProperty("r", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out int rv)
                ? rv : throw Bad(source, "r", "missing or not an integer");
            float alpha = root.TryGetProperty("lora_alpha", out var a) && a.ValueKind == JsonValueKind.Number
                ? a.GetSingle() : throw Bad(source, "lora_alpha", "missing or not a number");
            float dropout = root.TryGetProperty("lora_dropout", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetSingle() : 0f;

            RequireValue(root, source, "fan_in_fan_out", JsonValueKind.False);
            RequireValue(root, source, "use_dora", JsonValueKind.False);
            RequireValue(root, source, "lora_bias", JsonValueKind.False);
            if (root.TryGetProperty("bias", out var bias) && bias.ValueKind != JsonValueKind.Null
                && (bias.ValueKind != JsonValueKind.String || bias.GetString() != "none"))
                throw Bad(source, "bias", $"only \"none\" is supported, got {bias.GetRawText()}");
            foreach (var key in new[] { "rank_pattern", "alpha_pattern" })
                if (root.TryGetProperty(key, out var pat) && pat.ValueKind == JsonValueKind.Object && pat.EnumerateObject().Any())
                    throw Bad(source, key, "per-module ranks/alphas are not supported");
            foreach (var key in new[] { "layers_to_transform", "modules_to_save", "layer_replication" })
                if (root.TryGetProperty(key, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
                    && !(v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0))
                    throw Bad(source, key, "must be null (not supported)");

            bool rs = root.TryGetProperty("use_rslora", out var rsl) && rsl.ValueKind == JsonValueKind.True;
            string? baseModel = root.TryGetProperty("base_model_name_or_path", out var bm) && bm.ValueKind == JsonValueKind.String
                ? bm.GetString() : null;

            var config = new LoraConfig
            {
                Rank = rank, Alpha = alpha, Dropout = dropout, UseRsLora = rs, BaseModelNameOrPath = baseModel,
                TargetModules = ParseTargets(root, source),
            };
            try { config.Validate(); }
            catch (ArgumentException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
            return config;
        }
    }

    /// <summary>Reads <c>adapter_config.json</c> from <paramref name="directory"/>.</summary>
    public static LoraConfig Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"No {FileName} in {directory}.", path);
        return Parse(File.ReadAllText(path), path);
    }

    private static IReadOnlyList<string> ParseTargets(JsonElement root, string source)
    {
        if (!root.TryGetProperty("target_modules", out var t)) throw Bad(source, "target_modules", "missing");
        if (t.ValueKind == JsonValueKind.String)
            return t.GetString() == "all-linear"
                ? LoraConfig.AllProjections
                : throw Bad(source, "target_modules", $"a regular expression (\"{t.GetString()}\") is not supported; list the short names");
        if (t.ValueKind != JsonValueKind.Array) throw Bad(source, "target_modules", "expected a list of module names");
        var list = new List<string>();
        foreach (var e in t.EnumerateArray())
            list.Add(e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad(source, "target_modules", "entries must be strings"));
        return list;
    }

    private static void RequireValue(JsonElement root, string source, string key, JsonValueKind expected)
    {
        if (root.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null && v.ValueKind != expected)
            throw Bad(source, key, $"only {expected.ToString().ToLowerInvariant()} is supported, got {v.GetRawText()}");
    }

    private static void EmptyObject(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteEndObject();
    }

    /// <summary>Python's json for a float (shortest round trip, "0.0" for zero) or an int when whole and wanted.</summary>
    private static string PythonNumber(float value, bool intIfWhole)
    {
        if (value == MathF.Floor(value) && MathF.Abs(value) < 1e9f)
            return intIfWhole ? ((long)value).ToString(CultureInfo.InvariantCulture) : ((long)value).ToString(CultureInfo.InvariantCulture) + ".0";
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static InvalidDataException Bad(string source, string field, string message) =>
        new($"{source}: field '{field}': {message}.");
}
