using Whetstone.Models.Checkpoints;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Whetstone.Models.Tokenization.Training;

/// <summary>The result of <see cref="BpeTrainer.Train"/>: vocabulary, merges and added tokens, writable as tokenizer.json.</summary>
public sealed class TrainedBpe
{
    readonly string _pattern;
    readonly bool _nfc;

    internal TrainedBpe(IReadOnlyList<string> tokens, IReadOnlyList<(string Left, string Right)> merges,
        IReadOnlyList<AddedToken> addedTokens, string pattern, bool nfc)
    {
        Tokens = tokens;
        Merges = merges;
        AddedTokens = addedTokens;
        _pattern = pattern;
        _nfc = nfc;
    }

    /// <summary>The vocabulary in id order, in byte-level form: 256 byte tokens, then one per merge.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The merges in rank order, in byte-level form ("Ġ", "t").</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>Special then non-special added tokens, with ids after the vocabulary.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>Total number of ids.</summary>
    public int VocabSize => Tokens.Count + AddedTokens.Count;

    /// <summary>The tokenizer.json text: Qwen's layout (Split regex + ByteLevel, ByteLevel decoder), merges as pairs.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteNull("truncation");
            w.WriteNull("padding");
            w.WriteStartArray("added_tokens");
            foreach (var t in AddedTokens)
            {
                w.WriteStartObject();
                w.WriteNumber("id", t.Id);
                w.WriteString("content", t.Content);
                w.WriteBoolean("single_word", false);
                w.WriteBoolean("lstrip", false);
                w.WriteBoolean("rstrip", false);
                w.WriteBoolean("normalized", false);
                w.WriteBoolean("special", t.Special);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (_nfc) { w.WriteStartObject("normalizer"); w.WriteString("type", "NFC"); w.WriteEndObject(); }
            else w.WriteNull("normalizer");

            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("pretokenizers");
            w.WriteStartObject();
            w.WriteString("type", "Split");
            w.WriteStartObject("pattern");
            w.WriteString("Regex", _pattern);
            w.WriteEndObject();
            w.WriteString("behavior", "Isolated");
            w.WriteBoolean("invert", false);
            w.WriteEndObject();
            WriteByteLevel(w, null);
            w.WriteEndArray();
            w.WriteEndObject();
            WriteByteLevel(w, "post_processor");
            WriteByteLevel(w, "decoder");

            w.WriteStartObject("model");
            w.WriteString("type", "BPE");
            w.WriteNull("dropout");
            w.WriteNull("unk_token");
            w.WriteString("continuing_subword_prefix", "");
            w.WriteString("end_of_word_suffix", "");
            w.WriteBoolean("fuse_unk", false);
            w.WriteBoolean("byte_fallback", false);
            w.WriteBoolean("ignore_merges", false);
            w.WriteStartObject("vocab");
            for (int id = 0; id < Tokens.Count; id++) w.WriteNumber(Tokens[id], id);
            w.WriteEndObject();
            w.WriteStartArray("merges");
            foreach (var (l, r) in Merges)
            {
                w.WriteStartArray();
                w.WriteStringValue(l);
                w.WriteStringValue(r);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static void WriteByteLevel(Utf8JsonWriter w, string? name)
    {
        if (name is null) w.WriteStartObject(); else w.WriteStartObject(name);
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", false);
        w.WriteBoolean("trim_offsets", false);
        w.WriteBoolean("use_regex", false);
        w.WriteEndObject();
    }

    /// <summary>Writes tokenizer.json atomically (temp file, then rename). <paramref name="path"/> is the file, or a directory to write tokenizer.json into.</summary>
    /// <returns>The path of the written file.</returns>
    public string Save(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "tokenizer.json") : path;
        AtomicFile.WriteAllText(file, ToJson());
        return file;
    }

    /// <summary>The trained tokenizer, ready to encode (same as loading what <see cref="Save"/> writes).</summary>
    public Tokenizer ToTokenizer() => Tokenizer.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(ToJson())), "trained tokenizer.json");
}
