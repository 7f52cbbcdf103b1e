using System.Text.Json;

namespace Whetstone.Models.Tokenization;

/// <summary>The parts of tokenizer_config.json the tokenizer uses: the BOS, EOS and PAD token texts.</summary>
internal sealed record TokenizerConfig(string? BosToken, string? EosToken, string? PadToken)
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    public static TokenizerConfig Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads tokenizer_config.json content; <paramref name="source"/> names it in errors.</summary>
    public static TokenizerConfig Read(Stream json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: expected a JSON object");
            return new TokenizerConfig(Token(root, "bos_token", source), Token(root, "eos_token", source), Token(root, "pad_token", source));
        }
    }

    // "eos_token": "<|im_end|>", or the older {"content": "<|im_end|>", "__type": "AddedToken", …}, or null.
    static string? Token(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String) return c.GetString();
        throw new InvalidDataException($"{source}: field '{name}': expected a string or {{\"content\": …}}");
    }
}
