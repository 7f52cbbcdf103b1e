using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Whetstone.Models.Tokenization.Bpe;
using Whetstone.Models.Tokenization.Normalization;
using Whetstone.Models.Tokenization.PreTokenization;

namespace Whetstone.Models.Tokenization;

/// <summary>The parts of a tokenizer.json, ready to run.</summary>
internal sealed record TokenizerDefinition(
    BpeModel Model,
    TextNormalizer? Normalizer,
    PreTokenizer? PreTokenizer,
    IReadOnlyList<AddedToken> AddedTokens,
    PostProcessor PostProcessor,
    string? UnsupportedDecoder);

/// <summary>
/// Reads tokenizer.json (Hugging Face tokenizers' serialization). Errors name the source and the
/// JSON field, e.g. <c>tokenizer.json: field 'model.merges[12]': …</c>.
/// </summary>
internal sealed class TokenizerJsonReader(string source)
{
    /// <summary>Parses <paramref name="json"/>; <paramref name="source"/> names it in errors.</summary>
    public static TokenizerDefinition Read(Stream json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 }); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e); }
        using (doc) return new TokenizerJsonReader(source).Read(doc.RootElement);
    }

    InvalidDataException Error(string field, string problem) => new($"{source}: field '{field}': {problem}");

    TokenizerDefinition Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Error("$", "expected a JSON object");
        var normalizer = Optional(root, "normalizer", "normalizer", ReadNormalizer);
        var preTokenizer = Optional(root, "pre_tokenizer", "pre_tokenizer", ReadPreTokenizer);
        var added = ReadAddedTokens(root);
        var model = ReadModel(Required(root, "model", "model"));
        var post = Optional(root, "post_processor", "post_processor", ReadPostProcessor) ?? PostProcessor.None;
        var decoder = root.TryGetProperty("decoder", out var d) ? CheckDecoder(d, "decoder") : null;
        return new TokenizerDefinition(model, normalizer, preTokenizer, AssignIds(added, model), post, decoder);
    }

    /// <summary>
    /// Gives added tokens the ids tokenizers gives them on load, which ignores the "id" field: the
    /// vocabulary id when the content is in the vocabulary, else the next id after the vocabulary and
    /// the added tokens so far. Real files agree with their "id" fields; hand-edited ones may not.
    /// </summary>
    static IReadOnlyList<AddedToken> AssignIds(IReadOnlyList<AddedToken> tokens, BpeModel model)
    {
        var result = new List<AddedToken>();
        var seen = new HashSet<string>();
        int vocabCount = model.Vocab.Count;
        int? maxId = null;
        foreach (var t in tokens)
        {
            if (t.Content.Length == 0 || !seen.Add(t.Content)) continue;
            int id = model.Vocab.TryGetValue(t.Content, out int v) ? v
                : maxId is int m ? (m >= vocabCount || vocabCount == 0 ? m + 1 : vocabCount) : vocabCount;
            maxId = Math.Max(maxId ?? id, id);
            result.Add(t with { Id = id });
        }
        return result;
    }

    JsonElement Required(JsonElement obj, string name, string field)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) throw Error(field, "is missing");
        return v;
    }

    T? Optional<T>(JsonElement obj, string name, string field, Func<JsonElement, string, T> read) where T : class =>
        obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? read(v, field) : null;

    string String(JsonElement obj, string name, string field)
    {
        var v = Required(obj, name, field);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error(field, $"expected a string, found {v.ValueKind}");
    }

    bool Bool(JsonElement obj, string name, string field, bool fallback)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(field, $"expected true or false, found {v.ValueKind}"),
        };
    }

    int Int(JsonElement v, string field) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i >= 0 ? i : throw Error(field, $"expected a non-negative integer, found {v}");

    string TypeOf(JsonElement v, string field)
    {
        if (v.ValueKind != JsonValueKind.Object) throw Error(field, $"expected an object, found {v.ValueKind}");
        return String(v, "type", field + ".type");
    }

    IEnumerable<(JsonElement Item, string Field)> Array(JsonElement obj, string name, string field)
    {
        var v = Required(obj, name, field);
        if (v.ValueKind != JsonValueKind.Array) throw Error(field, $"expected an array, found {v.ValueKind}");
        int k = 0;
        foreach (var item in v.EnumerateArray()) yield return (item, $"{field}[{k++}]");
    }

    BpeModel ReadModel(JsonElement m)
    {
        string type = m.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "BPE";
        if (type != "BPE") throw Error("model.type", $"'{type}' is not supported; only BPE");
        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (m.TryGetProperty(affix, out var a) && a.ValueKind == JsonValueKind.String && a.GetString()!.Length > 0)
                throw Error($"model.{affix}", "non-empty subword affixes are not supported");
        if (m.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
            throw Error("model.dropout", "BPE dropout is not supported");

        var vocabElement = Required(m, "vocab", "model.vocab");
        if (vocabElement.ValueKind != JsonValueKind.Object) throw Error("model.vocab", "expected an object of token: id");
        var vocab = new Dictionary<string, int>();
        foreach (var p in vocabElement.EnumerateObject())
            vocab[p.Name] = Int(p.Value, $"model.vocab[\"{p.Name}\"]");

        var merges = new List<(string, string)>();
        if (m.TryGetProperty("merges", out var mergesElement) && mergesElement.ValueKind != JsonValueKind.Null)
            foreach (var (item, field) in Array(m, "merges", "model.merges"))
                merges.Add(ReadMerge(item, field));

        int? unk = null;
        if (m.TryGetProperty("unk_token", out var u) && u.ValueKind == JsonValueKind.String)
            unk = vocab.TryGetValue(u.GetString()!, out int id) ? id : throw Error("model.unk_token", $"'{u.GetString()}' is not in the vocabulary");
        var options = new BpeOptions(unk, Bool(m, "fuse_unk", "model.fuse_unk", false),
            Bool(m, "byte_fallback", "model.byte_fallback", false), Bool(m, "ignore_merges", "model.ignore_merges", false));
        try { return new BpeModel(vocab, merges, options); }
        catch (BpeModel.MergeException e) { throw Error($"model.merges[{e.Rank}]", e.Message); }
    }

    (string, string) ReadMerge(JsonElement item, string field)
    {
        if (item.ValueKind == JsonValueKind.String)
        {
            var parts = item.GetString()!.Split(' ');
            if (parts.Length != 2) throw Error(field, $"expected \"left right\", found \"{item.GetString()}\"");
            return (parts[0], parts[1]);
        }
        if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() == 2
            && item[0].ValueKind == JsonValueKind.String && item[1].ValueKind == JsonValueKind.String)
            return (item[0].GetString()!, item[1].GetString()!);
        throw Error(field, $"expected \"left right\" or [\"left\", \"right\"], found {item}");
    }

    IReadOnlyList<AddedToken> ReadAddedTokens(JsonElement root)
    {
        var list = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var a) || a.ValueKind == JsonValueKind.Null) return list;
        foreach (var (t, field) in Array(root, "added_tokens", "added_tokens"))
        {
            if (t.ValueKind != JsonValueKind.Object) throw Error(field, "expected an object");
            list.Add(new AddedToken(
                Int(Required(t, "id", field + ".id"), field + ".id"),
                String(t, "content", field + ".content"),
                Bool(t, "special", field + ".special", false),
                Bool(t, "lstrip", field + ".lstrip", false),
                Bool(t, "rstrip", field + ".rstrip", false),
                Bool(t, "single_word", field + ".single_word", false),
                Bool(t, "normalized", field + ".normalized", !Bool(t, "special", field + ".special", false))));
        }
        return list;
    }

    TextNormalizer ReadNormalizer(JsonElement n, string field)
    {
        string type = TypeOf(n, field);
        return type switch
        {
            "NFC" => new UnicodeFormNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeFormNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeFormNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeFormNormalizer(NormalizationForm.FormKD),
            "Lowercase" => new LowercaseNormalizer(),
            "Sequence" => new SequenceNormalizer(Array(n, "normalizers", field + ".normalizers").Select(x => ReadNormalizer(x.Item, x.Field)).ToList()),
            "Replace" => new ReplaceNormalizer(ReadPattern(Required(n, "pattern", field + ".pattern"), field + ".pattern"), String(n, "content", field + ".content")),
            "Prepend" => new PrependNormalizer(String(n, "prepend", field + ".prepend")),
            "Strip" => new StripNormalizer(Bool(n, "strip_left", field + ".strip_left", false), Bool(n, "strip_right", field + ".strip_right", false)),
            _ => throw Error(field + ".type", $"normalizer '{type}' is not supported (NFC, NFD, NFKC, NFKD, Lowercase, Replace, Prepend, Strip, Sequence)"),
        };
    }

    PreTokenizer ReadPreTokenizer(JsonElement p, string field)
    {
        string type = TypeOf(p, field);
        switch (type)
        {
            case "ByteLevel":
                return new ByteLevelPreTokenizer(Bool(p, "add_prefix_space", field + ".add_prefix_space", true), Bool(p, "use_regex", field + ".use_regex", true));
            case "Split":
                var behavior = String(p, "behavior", field + ".behavior");
                return new SplitPreTokenizer(
                    ReadPattern(Required(p, "pattern", field + ".pattern"), field + ".pattern"),
                    Enum.TryParse<SplitBehavior>(behavior, out var b) ? b : throw Error(field + ".behavior", $"unknown behavior '{behavior}'"),
                    Bool(p, "invert", field + ".invert", false));
            case "Digits":
                return new DigitsPreTokenizer(Bool(p, "individual_digits", field + ".individual_digits", false));
            case "Sequence":
                var stages = Array(p, "pretokenizers", field + ".pretokenizers").Select(x => (Stage: ReadPreTokenizer(x.Item, x.Field), x.Field)).ToList();
                for (int k = 0; k + 1 < stages.Count; k++)
                    if (stages[k].Stage.IsByteLevel)
                        throw Error(stages[k + 1].Field, "a pre-tokenizer after ByteLevel is not supported");
                return new SequencePreTokenizer(stages.Select(s => s.Stage).ToList());
            default:
                throw Error(field + ".type", $"pre-tokenizer '{type}' is not supported (ByteLevel, Split, Digits, Sequence)");
        }
    }

    Regex ReadPattern(JsonElement pattern, string field)
    {
        if (pattern.ValueKind == JsonValueKind.Object)
        {
            if (pattern.TryGetProperty("String", out var s) && s.ValueKind == JsonValueKind.String)
                return new Regex(Regex.Escape(s.GetString()!), RegexOptions.Compiled | RegexOptions.CultureInvariant);
            if (pattern.TryGetProperty("Regex", out var r) && r.ValueKind == JsonValueKind.String)
            {
                try { return OnigurumaPattern.Compile(r.GetString()!); }
                catch (ArgumentException e) { throw Error(field + ".Regex", e.Message); }
                catch (NotSupportedException e) { throw Error(field + ".Regex", e.Message); }
            }
        }
        throw Error(field, "expected {\"String\": …} or {\"Regex\": …}");
    }

    PostProcessor ReadPostProcessor(JsonElement p, string field)
    {
        string type = TypeOf(p, field);
        switch (type)
        {
            case "ByteLevel":
                return PostProcessor.None;
            case "Sequence":
                return Array(p, "processors", field + ".processors").Aggregate(PostProcessor.None, (acc, x) => acc.Then(ReadPostProcessor(x.Item, x.Field)));
            case "RobertaProcessing" or "BertProcessing":
                return new PostProcessor([PairId(Required(p, "cls", field + ".cls"), field + ".cls")], [PairId(Required(p, "sep", field + ".sep"), field + ".sep")]);
            case "TemplateProcessing":
                var specials = Required(p, "special_tokens", field + ".special_tokens");
                List<int> prefix = [], suffix = [];
                bool seenSequence = false;
                foreach (var (item, itemField) in Array(p, "single", field + ".single"))
                {
                    if (item.TryGetProperty("Sequence", out _)) { seenSequence = true; continue; }
                    if (!item.TryGetProperty("SpecialToken", out var st)) throw Error(itemField, "expected {\"SpecialToken\": …} or {\"Sequence\": …}");
                    string name = String(st, "id", itemField + ".SpecialToken.id");
                    if (!specials.TryGetProperty(name, out var entry)) throw Error(field + ".special_tokens", $"no entry for '{name}'");
                    var ids = Array(entry, "ids", $"{field}.special_tokens.{name}.ids").Select(x => Int(x.Item, x.Field));
                    (seenSequence ? suffix : prefix).AddRange(ids);
                }
                return new PostProcessor([.. prefix], [.. suffix]);
            default:
                throw Error(field + ".type", $"post-processor '{type}' is not supported (ByteLevel, TemplateProcessing, RobertaProcessing, BertProcessing, Sequence)");
        }
    }

    int PairId(JsonElement pair, string field) =>
        pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 ? Int(pair[1], field + "[1]") : throw Error(field, "expected [token, id]");

    /// <summary>Null when the decoder is byte-level (the only kind decoded); otherwise its type, reported by Decode.</summary>
    string? CheckDecoder(JsonElement d, string field)
    {
        if (d.ValueKind == JsonValueKind.Null) return "null";
        string type = TypeOf(d, field);
        if (type == "ByteLevel") return null;
        if (type == "Sequence")
        {
            foreach (var (item, itemField) in Array(d, "decoders", field + ".decoders"))
                if (CheckDecoder(item, itemField) is { } other) return other;
            return null;
        }
        return type;
    }
}
