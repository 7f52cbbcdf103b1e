using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using Whetstone.Models.Tokenization;

namespace Whetstone.Models.Tests.Tokenization;

/// <summary>Fixture paths, golden cases, and tokenizers loaded once per test run.</summary>
internal static class FixtureFiles
{
    static readonly ConcurrentDictionary<string, Tokenizer> Loaded = new();

    public static string Dir(string family) => Path.Combine(AppContext.BaseDirectory, "Fixtures", family);

    /// <summary>The tokenizer of a fixture family; tokenizer.json.gz is unpacked to a temp folder first.</summary>
    public static Tokenizer Tokenizer(string family) => Loaded.GetOrAdd(family, f =>
    {
        string dir = Dir(f);
        string gz = Path.Combine(dir, "tokenizer.json.gz");
        if (!File.Exists(gz)) return Whetstone.Models.Tokenization.Tokenizer.Load(dir);
        using var json = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
        string config = Path.Combine(dir, "tokenizer_config.json");
        using var configStream = File.Exists(config) ? File.OpenRead(config) : null;
        return Whetstone.Models.Tokenization.Tokenizer.FromStream(json, gz, configStream);
    });

    static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>One golden line: the text, its reference ids, and (when recorded) the reference decode of those ids.</summary>
    public sealed record Golden(string File, int Line, string Text, int[] Ids, string? Decoded, int[]? IdsWithSpecialTokens);

    /// <summary>Every *.jsonl golden file of a family (fields "text" or "rendered", "ids", optional "decoded", "ids_special").</summary>
    public static IEnumerable<Golden> Goldens(string family)
    {
        foreach (var file in Directory.GetFiles(Dir(family), "*.jsonl").OrderBy(f => f, StringComparer.Ordinal))
        {
            int line = 0;
            foreach (var raw in File.ReadLines(file))
            {
                line++;
                if (raw.Length == 0) continue;
                using var doc = JsonDocument.Parse(raw);
                var root = doc.RootElement;
                if (!root.TryGetProperty("ids", out var ids)) continue;
                string text = (root.TryGetProperty("text", out var t) ? t : root.GetProperty("rendered")).GetString()!;
                yield return new Golden(Path.GetFileName(file), line, text, Ints(ids),
                    root.TryGetProperty("decoded", out var d) ? d.GetString() : null,
                    root.TryGetProperty("ids_special", out var s) ? Ints(s) : null);
            }
        }
    }
}
