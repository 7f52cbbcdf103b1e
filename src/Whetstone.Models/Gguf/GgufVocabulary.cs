using System.Text.Json;

namespace Whetstone.Models.Gguf;

/// <summary>
/// The tokenizer metadata of a byte-level BPE model, built the way convert_hf_to_gguf builds it from a Hugging
/// Face directory (tokenizer.json, tokenizer_config.json, config.json, chat_template.jinja):
/// <list type="bullet">
/// <item>tokens: every id below the model's vocab_size in order, the vocabulary in byte-level form ("Ġworld"),
/// added tokens as their text, and <c>[PAD{id}]</c> for ids no token has (the embedding is often padded);</item>
/// <item>token types: added tokens that are special, or look special (<c>&lt;|…|&gt;</c>), are CONTROL; other
/// added tokens USER_DEFINED; padding UNUSED; the rest NORMAL;</item>
/// <item>special ids: from tokenizer_config.json's <c>*_token</c> strings looked up among the added tokens, then
/// config.json's <c>*_token_id</c> for those still unset;</item>
/// <item>add_bos/add_eos: tokenizer_config.json's <c>add_*_token</c>, else whether the post-processor adds them.</item>
/// </list>
/// </summary>
public sealed class GgufVocabulary
{
    private static readonly string[] SpecialKinds = ["bos", "eos", "unk", "sep", "pad"];

    /// <summary>Always <c>gpt2</c> (llama.cpp's name for byte-level BPE).</summary>
    public string TokenizerModel => "gpt2";

    /// <summary>The llama.cpp pre-tokenizer name (see <see cref="TokenizerPreDetection"/>).</summary>
    public required string Pre { get; init; }

    /// <summary>Token texts in id order; as many as the model's vocab_size.</summary>
    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary>Token types in id order.</summary>
    public required IReadOnlyList<GgufTokenType> TokenTypes { get; init; }

    /// <summary>Merges as "left right", in rank order.</summary>
    public required IReadOnlyList<string> Merges { get; init; }

    /// <summary>Special token ids by kind (<c>bos</c>, <c>eos</c>, <c>unk</c>, <c>sep</c>, <c>pad</c>), where known.</summary>
    public required IReadOnlyDictionary<string, int> SpecialTokenIds { get; init; }

    /// <summary>Whether a BOS token is put in front of every encoded text.</summary>
    public required bool AddBosToken { get; init; }

    /// <summary>Whether an EOS token is put after every encoded text.</summary>
    public required bool AddEosToken { get; init; }

    /// <summary>The chat template, or null when the directory has none.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Things that may make llama.cpp tokenize differently from the Hugging Face tokenizer.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Reads the tokenizer files of <paramref name="directory"/> for a model with <paramref name="vocabSize"/> embedding rows.</summary>
    /// <param name="directory">HF model directory holding tokenizer.json (and usually tokenizer_config.json).</param>
    /// <param name="vocabSize">Rows of the embedding (config.json's vocab_size); the token list is padded to it.</param>
    /// <param name="preOverride">A <c>tokenizer.ggml.pre</c> to use instead of the detected one.</param>
    /// <exception cref="FileNotFoundException">No tokenizer.json.</exception>
    /// <exception cref="InvalidDataException">Not byte-level BPE, or inconsistent with the model; the message names the file and field.</exception>
    public static GgufVocabulary Load(string directory, int vocabSize, string? preOverride = null)
    {
        var tokenizerPath = Path.Combine(directory, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
            throw new FileNotFoundException($"No tokenizer.json in {directory}.", tokenizerPath);
        using var tokenizer = ParseJson(tokenizerPath);
        var configPath = Path.Combine(directory, "tokenizer_config.json");
        using var config = File.Exists(configPath) ? ParseJson(configPath) : null;
        var modelConfigPath = Path.Combine(directory, "config.json");
        using var modelConfig = File.Exists(modelConfigPath) ? ParseJson(modelConfigPath) : null;

        var root = tokenizer.RootElement;
        var warnings = new List<string>();
        var model = Property(root, "model", tokenizerPath, JsonValueKind.Object);
        CheckByteLevelBpe(root, model, tokenizerPath);

        // Token texts by id: the vocabulary, then the added tokens (which may repeat vocabulary entries).
        var byId = new Dictionary<int, (string Text, GgufTokenType Type)>();
        foreach (var p in Property(model, "vocab", tokenizerPath, JsonValueKind.Object).EnumerateObject())
        {
            if (!p.Value.TryGetInt32(out int id) || id < 0)
                throw new InvalidDataException($"{tokenizerPath}: field 'model.vocab[\"{p.Name}\"]' must be a non-negative integer.");
            byId[id] = (p.Name, GgufTokenType.Normal);
        }
        var added = ReadAddedTokens(root, tokenizerPath);
        foreach (var t in added)
        {
            var type = t.Special || LooksSpecial(t.Content) ? GgufTokenType.Control : GgufTokenType.UserDefined;
            // llama.cpp takes user-defined tokens as plain text: SentencePiece's "▁" stands for a space there.
            byId[t.Id] = (type == GgufTokenType.UserDefined ? t.Content.Replace('\u2581', ' ') : t.Content, type);
        }
        int largest = byId.Count == 0 ? -1 : byId.Keys.Max();
        if (largest >= vocabSize)
            throw new InvalidDataException(
                $"{tokenizerPath}: token id {largest} ('{byId[largest].Text}') does not fit the model's vocab_size of {vocabSize} (config.json).");
        var tokens = new string[vocabSize];
        var types = new GgufTokenType[vocabSize];
        int padded = 0;
        for (int id = 0; id < vocabSize; id++)
        {
            if (byId.TryGetValue(id, out var t))
                (tokens[id], types[id]) = t;
            else
            {
                (tokens[id], types[id]) = ($"[PAD{id}]", GgufTokenType.Unused);
                padded++;
            }
        }

        string? detected = root.TryGetProperty("pre_tokenizer", out var pre) ? TokenizerPreDetection.Detect(pre) : null;
        string preName = preOverride ?? detected ?? "default";
        if (preOverride is null && detected is null)
            warnings.Add($"{tokenizerPath}: the pre_tokenizer matches none that llama.cpp reproduces (qwen2, llama-bpe, smollm, gpt-2); " +
                         "wrote tokenizer.ggml.pre = \"default\", so llama.cpp may split text differently.");
        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object)
            warnings.Add($"{tokenizerPath}: the {(normalizer.TryGetProperty("type", out var nt) ? nt.GetString() : "")} normalizer is not applied by llama.cpp; texts it changes tokenize differently there.");

        // Special token ids: tokenizer_config.json first (looked up among the added tokens), config.json fills the rest.
        var contents = new Dictionary<string, string>();
        var special = new Dictionary<string, int>();
        var cfg = config?.RootElement;
        foreach (var kind in SpecialKinds)
        {
            if (cfg is { } c && TokenText(c, kind + "_token") is { } text)
            {
                contents[kind] = text;
                if (added.FirstOrDefault(a => a.Content == text) is { } match)
                    special[kind] = match.Id;
            }
        }
        if (modelConfig?.RootElement is { ValueKind: JsonValueKind.Object } mc)
            foreach (var kind in SpecialKinds)
                if (!special.ContainsKey(kind) && mc.TryGetProperty(kind + "_token_id", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int id) && id >= 0)
                    special[kind] = id;
        foreach (var (kind, id) in special.ToList())
            if (id >= vocabSize)
            {
                warnings.Add($"The {kind} token id {id} is outside the vocabulary of {vocabSize}; left out.");
                special.Remove(kind);
            }

        var (postBos, postEos) = PostProcessorAdds(root, special, added);
        bool addBos = cfg is { } c1 && Bool(c1, "add_bos_token") is bool b1 ? b1 : postBos;
        bool addEos = cfg is { } c2 && Bool(c2, "add_eos_token") is bool b2 ? b2 : postEos;

        return new GgufVocabulary
        {
            Pre = preName,
            Tokens = tokens,
            TokenTypes = types,
            Merges = ReadMerges(model, tokenizerPath),
            SpecialTokenIds = special,
            AddBosToken = addBos,
            AddEosToken = addEos,
            ChatTemplate = ReadChatTemplate(directory, cfg, configPath),
            Warnings = warnings,
        };
    }

    /// <summary>Adds the <c>tokenizer.*</c> keys to <paramref name="writer"/>.</summary>
    public void AddTo(GgufWriter writer)
    {
        writer.Add(GgufKeys.TokenizerModel, GgufValue.String(TokenizerModel));
        writer.Add(GgufKeys.TokenizerPre, GgufValue.String(Pre));
        writer.Add(GgufKeys.Tokens, GgufValue.Array(Tokens));
        writer.Add(GgufKeys.TokenTypes, GgufValue.Array(TokenTypes.Select(t => (int)t)));
        writer.Add(GgufKeys.Merges, GgufValue.Array(Merges));
        foreach (var (kind, key) in new[]
                 {
                     ("bos", GgufKeys.BosTokenId), ("eos", GgufKeys.EosTokenId), ("unk", GgufKeys.UnknownTokenId),
                     ("sep", GgufKeys.SeparatorTokenId), ("pad", GgufKeys.PaddingTokenId),
                 })
            if (SpecialTokenIds.TryGetValue(kind, out int id))
                writer.Add(key, GgufValue.UInt32((uint)id));
        writer.Add(GgufKeys.AddBosToken, GgufValue.Bool(AddBosToken));
        writer.Add(GgufKeys.AddEosToken, GgufValue.Bool(AddEosToken));
        if (ChatTemplate is not null)
            writer.Add(GgufKeys.ChatTemplate, GgufValue.String(ChatTemplate));
    }

    /// <summary>convert_hf_to_gguf's rule for added tokens that ought to be control tokens even when not marked special.</summary>
    public static bool LooksSpecial(string token) =>
        token is "<pad>" or "<mask>" or "<2mass>" or "[@BOS@]"
        || (token.StartsWith("<|", StringComparison.Ordinal) && token.EndsWith("|>", StringComparison.Ordinal))
        || (token.StartsWith("<\uFF5C", StringComparison.Ordinal) && token.EndsWith("\uFF5C>", StringComparison.Ordinal))
        || (token.StartsWith("<unused", StringComparison.Ordinal) && token.EndsWith('>'));

    private sealed record Added(int Id, string Content, bool Special);

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    private static JsonElement Property(JsonElement obj, string name, string path, JsonValueKind kind)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v) || v.ValueKind != kind)
            throw new InvalidDataException($"{path}: field '{name}' is missing or not a JSON {kind.ToString().ToLowerInvariant()}.");
        return v;
    }

    private static void CheckByteLevelBpe(JsonElement root, JsonElement model, string path)
    {
        string type = model.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "BPE";
        if (type != "BPE")
            throw new InvalidDataException($"{path}: field 'model.type' is '{type}'; GGUF export handles byte-level BPE only.");
        if (model.TryGetProperty("byte_fallback", out var bf) && bf.ValueKind == JsonValueKind.True)
            throw new InvalidDataException($"{path}: field 'model.byte_fallback' is true (a SentencePiece-style BPE); GGUF export handles byte-level BPE only.");
        string? decoder = root.TryGetProperty("decoder", out var d) && d.ValueKind == JsonValueKind.Object
            && d.TryGetProperty("type", out var dt) ? dt.GetString() : null;
        if (decoder != "ByteLevel")
            throw new InvalidDataException($"{path}: field 'decoder.type' is '{decoder ?? "null"}'; byte-level BPE has a ByteLevel decoder.");
    }

    private static List<Added> ReadAddedTokens(JsonElement root, string path)
    {
        var list = new List<Added>();
        if (!root.TryGetProperty("added_tokens", out var a) || a.ValueKind == JsonValueKind.Null)
            return list;
        int i = 0;
        foreach (var t in a.EnumerateArray())
        {
            if (t.ValueKind != JsonValueKind.Object
                || !t.TryGetProperty("id", out var id) || !id.TryGetInt32(out int value) || value < 0
                || !t.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{path}: field 'added_tokens[{i}]' needs an integer 'id' and a string 'content'.");
            list.Add(new Added(value, content.GetString()!, Bool(t, "special") ?? false));
            i++;
        }
        return list;
    }

    private static List<string> ReadMerges(JsonElement model, string path)
    {
        var merges = new List<string>();
        if (!model.TryGetProperty("merges", out var m) || m.ValueKind == JsonValueKind.Null)
            return merges;
        int i = 0;
        foreach (var item in m.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
                merges.Add(item.GetString()!);
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() == 2
                     && item[0].ValueKind == JsonValueKind.String && item[1].ValueKind == JsonValueKind.String)
                // The pair form allows spaces inside a part; the "a b" form cannot, so a space becomes U+0120,
                // the byte-level symbol of the space byte, as gguf-py does.
                merges.Add(item[0].GetString()!.Replace(' ', '\u0120') + " " + item[1].GetString()!.Replace(' ', '\u0120'));
            else
                throw new InvalidDataException($"{path}: field 'model.merges[{i}]' must be \"left right\" or [\"left\", \"right\"].");
            i++;
        }
        return merges;
    }

    // "eos_token": "<|im_end|>" or {"content": "<|im_end|>", ...} or null.
    private static string? TokenText(JsonElement config, string name)
    {
        if (!config.TryGetProperty(name, out var v))
            return null;
        if (v.ValueKind == JsonValueKind.String)
            return v.GetString();
        return v.ValueKind == JsonValueKind.Object && v.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
    }

    private static bool? Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null }
            : null;

    /// <summary>Whether a TemplateProcessing post-processor puts the BOS token first / the EOS token last.</summary>
    private static (bool Bos, bool Eos) PostProcessorAdds(JsonElement root, Dictionary<string, int> special, List<Added> added)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind != JsonValueKind.Object)
            return (false, false);
        var processors = post.TryGetProperty("processors", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [post];
        bool bos = false, eos = false;
        foreach (var p in processors)
        {
            if (!p.TryGetProperty("type", out var type) || type.GetString() != "TemplateProcessing"
                || !p.TryGetProperty("single", out var single) || single.ValueKind != JsonValueKind.Array || single.GetArrayLength() < 2)
                continue;
            int? IdOf(JsonElement item) =>
                item.TryGetProperty("SpecialToken", out var st) && st.TryGetProperty("id", out var name)
                    ? added.FirstOrDefault(a => a.Content == name.GetString())?.Id
                    : null;
            var first = IdOf(single[0]);
            var last = IdOf(single[single.GetArrayLength() - 1]);
            bos |= first is int f && special.TryGetValue("bos", out int b) && f == b;
            eos |= last is int l && special.TryGetValue("eos", out int e) && l == e;
        }
        return (bos, eos);
    }

    private static string? ReadChatTemplate(string directory, JsonElement? config, string configPath)
    {
        if (config is { } c && c.TryGetProperty("chat_template", out var t))
        {
            if (t.ValueKind == JsonValueKind.String)
                return t.GetString();
            // A list of {"name", "template"}: llama.cpp's tokenizer.chat_template is the default one.
            if (t.ValueKind == JsonValueKind.Array)
                foreach (var entry in t.EnumerateArray())
                    if (entry.TryGetProperty("name", out var n) && n.GetString() == "default"
                        && entry.TryGetProperty("template", out var tt) && tt.ValueKind == JsonValueKind.String)
                        return tt.GetString();
            if (t.ValueKind != JsonValueKind.Null)
                throw new InvalidDataException($"{configPath}: field 'chat_template' must be a string or a list of {{name, template}}.");
        }
        var jinja = Path.Combine(directory, "chat_template.jinja");
        return File.Exists(jinja) ? File.ReadAllText(jinja) : null;
    }
}
