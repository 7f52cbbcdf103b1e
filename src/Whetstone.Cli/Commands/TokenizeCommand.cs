using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Models.Tokenization;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet tokenize --tokenizer DIR (--text T | --jsonl FILE)</c>: token ids of text with a Hugging Face
/// tokenizer.json. --text prints one JSON array; --jsonl reads {"text": …} lines and writes
/// {"text": …, "ids": […]} lines to stdout. <c>whet tokenize train</c> learns a new byte-level BPE tokenizer.
/// </summary>
public static class TokenizeCommand
{
    // Non-ASCII text stays readable (你好, not \u4F60\u597D); the output is still valid JSON.
    static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the <c>tokenize</c> verb.</summary>
    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer") { Description = "Model directory with tokenizer.json, or the tokenizer.json file", Required = true };
        var text = new Option<string?>("--text") { Description = "Text to encode; prints the ids as one JSON array" };
        var jsonl = new Option<string?>("--jsonl") { Description = "JSONL file of {\"text\": ...} lines; writes {\"text\", \"ids\"} lines to stdout" };
        var noSpecial = new Option<bool>("--no-special-tokens") { Description = "Do not add the post-processor's special tokens (e.g. Llama 3's BOS)" };
        var cmd = new Command("tokenize", "Encode text to token ids. Example: whet tokenize --tokenizer models/Qwen3-0.6B --text \"Hello world\"");
        cmd.Options.Add(tokenizer);
        cmd.Options.Add(text);
        cmd.Options.Add(jsonl);
        cmd.Options.Add(noSpecial);
        cmd.Subcommands.Add(CreateTrain());
        cmd.SetAction(parse =>
        {
            string? t = parse.GetValue(text), file = parse.GetValue(jsonl);
            if ((t is null) == (file is null))
            {
                Console.Error.WriteLine("tokenize: give exactly one of --text or --jsonl.");
                return 2;
            }
            try
            {
                var tok = Tokenizer.Load(parse.GetValue(tokenizer)!);
                bool addSpecial = !parse.GetValue(noSpecial);
                if (t is not null)
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(tok.Encode(t, addSpecial)));
                    return 0;
                }
                return EncodeJsonl(tok, file!, addSpecial, Console.Out);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"tokenize: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    /// <summary><c>whet tokenize train --input FILE --vocab-size N --out DIR</c>.</summary>
    static Command CreateTrain()
    {
        var input = new Option<string>("--input") { Description = "Corpus: a .jsonl file of {\"text\": ...} lines, or a text file with one document per line", Required = true };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Total ids: 256 bytes + merges + added tokens", DefaultValueFactory = _ => 4096 };
        var output = new Option<string>("--out") { Description = "Directory to write tokenizer.json into", Required = true };
        var nfc = new Option<bool>("--nfc") { Description = "Add Qwen's NFC normalizer (default: none, so decode(encode(x)) == x)" };
        var cmd = new Command("train", "Train a byte-level BPE tokenizer (Qwen pre-tokenizer and special tokens). Example: whet tokenize train --input corpus.jsonl --vocab-size 2048 --out models/tiny");
        cmd.Options.Add(input);
        cmd.Options.Add(vocabSize);
        cmd.Options.Add(output);
        cmd.Options.Add(nfc);
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(input)!;
            try
            {
                if (!File.Exists(path)) throw new FileNotFoundException($"Corpus not found: {path}", path);
                var documents = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? JsonlTexts(path) : File.ReadLines(path);
                var trainer = new Whetstone.Models.Tokenization.Training.BpeTrainer(new() { VocabSize = parse.GetValue(vocabSize), Nfc = parse.GetValue(nfc) });
                var trained = trainer.Train(documents);
                string dir = parse.GetValue(output)!;
                Directory.CreateDirectory(dir);
                string file = trained.Save(dir);
                Console.Out.WriteLine($"wrote {file}: {trained.VocabSize} ids ({trained.Merges.Count} merges, {trained.AddedTokens.Count} added tokens)");
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"tokenize train: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    /// <summary>The "text" of each line; a bad line throws with file:line.</summary>
    static IEnumerable<string> JsonlTexts(string path)
    {
        int line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            string? text;
            try { text = JsonNode.Parse(raw) is JsonObject o && o["text"] is JsonValue v && v.TryGetValue(out string? s) ? s : null; }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{line}: invalid JSON: {e.Message}", e); }
            yield return text ?? throw new InvalidDataException($"{path}:{line}: expected an object with a string field \"text\"");
        }
    }

    /// <summary>Encodes each {"text": …} line of <paramref name="path"/>; a bad line stops with file:line on stderr.</summary>
    static int EncodeJsonl(Tokenizer tok, string path, bool addSpecial, TextWriter output)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"JSONL file not found: {path}", path);
        int line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            string? text;
            try
            {
                text = JsonNode.Parse(raw) is JsonObject o && o["text"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
            }
            catch (JsonException e)
            {
                Console.Error.WriteLine($"{path}:{line}: invalid JSON: {e.Message}");
                return 1;
            }
            if (text is null)
            {
                Console.Error.WriteLine($"{path}:{line}: expected an object with a string field \"text\"");
                return 1;
            }
            var row = new JsonObject { ["text"] = text, ["ids"] = new JsonArray(tok.Encode(text, addSpecial).Select(i => (JsonNode)i).ToArray()) };
            output.WriteLine(row.ToJsonString(Readable));
        }
        return 0;
    }
}
