using System.Text.Json;

namespace Whetstone.Models.Gguf;

/// <summary>
/// Chooses <c>tokenizer.ggml.pre</c>, the name under which llama.cpp keeps a pre-tokenizer (its regex set).
/// convert_hf_to_gguf recognises a tokenizer by hashing the ids of a probe text; Whetstone instead reads the
/// pre_tokenizer of tokenizer.json and matches its structure against the pipelines llama.cpp reproduces:
/// <list type="table">
/// <item><term>qwen2</term><description>Split(Qwen2/Qwen3 regex) + ByteLevel: Qwen2, Qwen2.5, Qwen3, and
/// Whetstone's BpeTrainer.</description></item>
/// <item><term>llama-bpe</term><description>Split(Llama 3 regex, digits in runs of 1–3) + ByteLevel: Llama 3.x.</description></item>
/// <item><term>smollm</term><description>Digits(individual) + ByteLevel(GPT-2 regex): SmolLM, SmolLM2.</description></item>
/// <item><term>gpt-2</term><description>ByteLevel with the GPT-2 regex alone: GPT-2.</description></item>
/// </list>
/// Anything else returns null; the exporter then writes <c>default</c> and warns, since llama.cpp would split
/// text differently from the Hugging Face tokenizer.
/// </summary>
public static class TokenizerPreDetection
{
    /// <summary>Qwen2/Qwen3's Split regex (Whetstone's BpeTrainer writes the same one).</summary>
    public const string QwenPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Llama 3's Split regex: Qwen's with digits in runs of up to three.</summary>
    public const string Llama3Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The llama.cpp pre-tokenizer name for tokenizer.json's <c>pre_tokenizer</c>, or null when none matches.</summary>
    public static string? Detect(JsonElement preTokenizer)
    {
        if (preTokenizer.ValueKind != JsonValueKind.Object)
            return null;
        var stages = Type(preTokenizer) == "Sequence" && preTokenizer.TryGetProperty("pretokenizers", out var list)
            && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [preTokenizer];

        if (stages.Count == 1 && IsByteLevel(stages[0], useRegex: true))
            return "gpt-2";
        if (stages.Count != 2)
            return null;
        if (Type(stages[0]) == "Digits" && Bool(stages[0], "individual_digits") == true && IsByteLevel(stages[1], useRegex: true))
            return "smollm";
        if (Type(stages[0]) == "Split" && IsByteLevel(stages[1], useRegex: false)
            && stages[0].TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.Object
            && pattern.TryGetProperty("Regex", out var regex) && regex.ValueKind == JsonValueKind.String
            && (!stages[0].TryGetProperty("behavior", out var b) || b.GetString() == "Isolated")
            && Bool(stages[0], "invert") != true)
        {
            return regex.GetString() switch
            {
                QwenPattern => "qwen2",
                Llama3Pattern => "llama-bpe",
                _ => null,
            };
        }
        return null;
    }

    private static string? Type(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null } : null;

    // A ByteLevel stage maps bytes to symbols; with use_regex it also splits with the GPT-2 regex (default true).
    // add_prefix_space would insert a space llama.cpp does not insert.
    private static bool IsByteLevel(JsonElement e, bool useRegex) =>
        Type(e) == "ByteLevel" && (Bool(e, "use_regex") ?? true) == useRegex && Bool(e, "add_prefix_space") != true;
}
