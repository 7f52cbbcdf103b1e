using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Models.Tokenization;

namespace Whetstone.Models.Tests.Tokenization;

/// <summary>Fixture paths, golden cases, and tokenizers loaded once per test run.</summary>
internal static class FixtureFiles
{
    static readonly ConcurrentDictionary<string, Tokenizer> Loaded = new();

    public static string Dir(string family) => Path.Combine(AppContext.BaseDirectory, "Fixtures", family);

    /// <summary>
    /// The tokenizer of a fixture family: tokenizer.json, or tokenizer.json.gz, or tokenizer.patch.json
    /// ({"base": family, "replace": {top-level key: value}}) for a file that differs from another family's
    /// only in a few top-level fields (Llama 3.1 = Llama 3 with a TemplateProcessing post-processor).
    /// </summary>
    public static Tokenizer Tokenizer(string family) => Loaded.GetOrAdd(family, f =>
    {
        string dir = Dir(f);
        string config = Path.Combine(dir, "tokenizer_config.json");
        using var configStream = File.Exists(config) ? File.OpenRead(config) : null;
        string patch = Path.Combine(dir, "tokenizer.patch.json");
        if (File.Exists(patch))
        {
            var patchJson = JsonNode.Parse(File.ReadAllText(patch))!;
            var json = JsonNode.Parse(TokenizerJson(Dir(patchJson["base"]!.GetValue<string>())))!.AsObject();
            foreach (var (key, value) in patchJson["replace"]!.AsObject()) json[key] = value?.DeepClone();
            return Whetstone.Models.Tokenization.Tokenizer.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())), patch, configStream);
        }
        if (!File.Exists(Path.Combine(dir, "tokenizer.json.gz"))) return Whetstone.Models.Tokenization.Tokenizer.Load(dir);
        return Whetstone.Models.Tokenization.Tokenizer.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(TokenizerJson(dir))), dir, configStream);
    });

    static string TokenizerJson(string dir)
    {
        string gz = Path.Combine(dir, "tokenizer.json.gz");
        if (!File.Exists(gz)) return File.ReadAllText(Path.Combine(dir, "tokenizer.json"));
        using var reader = new StreamReader(new GZipStream(File.OpenRead(gz), CompressionMode.Decompress), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>One golden line: the text, its reference ids, and (when recorded) the reference decode of those ids.</summary>
    public sealed record Golden(string File, int Line, string Text, int[] Ids, string? Decoded, int[]? IdsWithSpecialTokens);

    /// <summary>Every golden file of a family (fields "text" or "rendered", "ids", optional "decoded", "ids_special").</summary>
    public static IEnumerable<Golden> Goldens(string family)
    {
        // tokenizer_*.jsonl are this branch's goldens; chat_cases.jsonl (rendered chat prompts → ids) comes with the chat templates.
        var files = Directory.GetFiles(Dir(family), "tokenizer_*.jsonl").Concat(Directory.GetFiles(Dir(family), "chat_cases.jsonl"));
        foreach (var file in files.OrderBy(f => f, StringComparer.Ordinal))
        {
            int line = 0;
            foreach (var raw in File.ReadLines(file))
            {
                line++;
                if (raw.Length == 0) continue;
                using var doc = JsonDocument.Parse(raw);
                var root = doc.RootElement;
                if (!root.TryGetProperty("ids", out var ids)) continue;
                if (!root.TryGetProperty("text", out var t) && !root.TryGetProperty("rendered", out t)) continue;
                string text = t.GetString()!;
                yield return new Golden(Path.GetFileName(file), line, text, Ints(ids),
                    root.TryGetProperty("decoded", out var d) ? d.GetString() : null,
                    root.TryGetProperty("ids_special", out var s) ? Ints(s) : null);
            }
        }
    }
}
