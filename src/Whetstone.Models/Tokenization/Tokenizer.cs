using System.Text;
using Whetstone.Models.Tokenization.Bpe;
using Whetstone.Models.Tokenization.PreTokenization;

namespace Whetstone.Models.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> byte-level BPE tokenizer (Qwen2/Qwen3, Llama 3, GPT-2, SmolLM):
/// the same ids as the Rust <c>tokenizers</c> library. Thread-safe: one instance serves many threads.
/// </summary>
/// <remarks>
/// Encoding: cut out added tokens (<c>&lt;|im_start|&gt;</c>…), normalize the text between them,
/// pre-tokenize (regex split), map each piece's UTF-8 bytes to byte-level symbols, apply the BPE merges
/// by rank, and, if asked, add the post-processor's special tokens (Llama 3's BOS).
/// <code>
/// var tok = Tokenizer.Load("models/Qwen3-0.6B");
/// int[] ids = tok.Encode("Hello world");          // [9707, 1879]
/// string text = tok.Decode(ids);                   // "Hello world"
/// </code>
/// </remarks>
public sealed class Tokenizer
{
    readonly BpeModel _model;
    readonly Normalization.TextNormalizer? _normalizer;
    readonly PreTokenizer? _preTokenizer;
    readonly PostProcessor _postProcessor;
    readonly AddedTokenMatcher _rawAddedTokens;
    readonly AddedTokenMatcher _normalizedAddedTokens;
    readonly bool _byteLevel;
    readonly string? _unsupportedDecoder;
    readonly string?[] _idToToken;
    readonly byte[]?[] _tokenBytes;
    readonly bool[] _isSpecial;
    readonly Dictionary<string, int> _addedByContent;

    [ThreadStatic] static List<Piece>? _pieces;

    Tokenizer(TokenizerDefinition definition, TokenizerConfig? config, string source)
    {
        _model = definition.Model;
        _normalizer = definition.Normalizer;
        _preTokenizer = definition.PreTokenizer;
        _postProcessor = definition.PostProcessor;
        _byteLevel = _preTokenizer?.IsByteLevel ?? false;
        _unsupportedDecoder = definition.UnsupportedDecoder;
        AddedTokens = definition.AddedTokens;
        Source = source;

        _addedByContent = new Dictionary<string, int>();
        foreach (var t in AddedTokens) _addedByContent[t.Content] = t.Id;
        _rawAddedTokens = new AddedTokenMatcher(AddedTokens.Where(t => !t.Normalized).Select(t => (t.Content, t)));
        _normalizedAddedTokens = new AddedTokenMatcher(AddedTokens.Where(t => t.Normalized)
            .Select(t => (_normalizer?.Normalize(t.Content) ?? t.Content, t)));

        int size = Math.Max(_model.Vocab.Count == 0 ? 0 : _model.Vocab.Values.Max() + 1, AddedTokens.Count == 0 ? 0 : AddedTokens.Max(t => t.Id) + 1);
        _idToToken = new string?[size];
        foreach (var (token, id) in _model.Vocab) _idToToken[id] = token;
        _isSpecial = new bool[size];
        foreach (var t in AddedTokens)
        {
            // tokenizers keeps a normalized token's normalized form, and decodes to it.
            _idToToken[t.Id] = t.Normalized && _normalizer is not null ? _normalizer.Normalize(t.Content) : t.Content;
            _isSpecial[t.Id] = t.Special;
        }
        _tokenBytes = new byte[]?[size];
        for (int id = 0; id < size; id++)
            if (_idToToken[id] is { } token)
                _tokenBytes[id] = (_byteLevel ? ByteLevelAlphabet.TryDecode(token) : null) ?? Encoding.UTF8.GetBytes(token);

        BosToken = config?.BosToken;
        EosToken = config?.EosToken;
        PadToken = config?.PadToken;
    }

    /// <summary>Loads <c>tokenizer.json</c> from a model directory (reading <c>tokenizer_config.json</c> beside it
    /// for the BOS/EOS/PAD tokens when present) or from the path of a tokenizer.json file.</summary>
    /// <exception cref="FileNotFoundException">No tokenizer.json at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not valid; the message names the file and the JSON field.</exception>
    public static Tokenizer Load(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "tokenizer.json") : path;
        if (!File.Exists(file)) throw new FileNotFoundException($"Tokenizer file not found: {file}", file);
        string configFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "tokenizer_config.json");
        TokenizerDefinition definition;
        try
        {
            using var stream = File.OpenRead(file);
            definition = TokenizerJsonReader.Read(stream, file);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{file}: cannot read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidDataException($"{file}: cannot read: {e.Message}", e);
        }
        var config = File.Exists(configFile) ? TokenizerConfig.Read(configFile) : null;
        return new Tokenizer(definition, config, file);
    }

    /// <summary>Reads a tokenizer.json from <paramref name="json"/>; <paramref name="source"/> names it in errors.</summary>
    /// <param name="json">The tokenizer.json content.</param>
    /// <param name="source">Name for error messages.</param>
    /// <param name="configJson">Optional tokenizer_config.json content, for BOS/EOS/PAD.</param>
    public static Tokenizer FromStream(Stream json, string source = "tokenizer.json", Stream? configJson = null) =>
        new(TokenizerJsonReader.Read(json, source), configJson is null ? null : TokenizerConfig.Read(configJson, "tokenizer_config.json"), source);

    /// <summary>Where the tokenizer was loaded from.</summary>
    public string Source { get; }

    /// <summary>Number of ids: one past the largest id of the vocabulary and the added tokens.</summary>
    public int VocabSize => _idToToken.Length;

    /// <summary>The added tokens of tokenizer.json (special and not), in file order.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>BOS token text from tokenizer_config.json, or null (Qwen has none).</summary>
    public string? BosToken { get; }

    /// <summary>EOS token text from tokenizer_config.json (Qwen3: <c>&lt;|im_end|&gt;</c>), or null.</summary>
    public string? EosToken { get; }

    /// <summary>Padding token text from tokenizer_config.json, or null.</summary>
    public string? PadToken { get; }

    /// <summary>Id of <see cref="BosToken"/>, or null.</summary>
    public int? BosTokenId => BosToken is null ? null : TokenToId(BosToken);

    /// <summary>Id of <see cref="EosToken"/>, or null.</summary>
    public int? EosTokenId => EosToken is null ? null : TokenToId(EosToken);

    /// <summary>Id of <see cref="PadToken"/>, or null.</summary>
    public int? PadTokenId => PadToken is null ? null : TokenToId(PadToken);

    /// <summary>The id of a token (vocabulary form, e.g. "Ġworld", or an added token's content), or null.</summary>
    public int? TokenToId(string token) =>
        _addedByContent.TryGetValue(token, out int a) ? a : _model.Vocab.TryGetValue(token, out int id) ? id : null;

    /// <summary>The token string of an id (vocabulary form), or null when no token has that id.</summary>
    public string? IdToToken(int id) => id >= 0 && id < _idToToken.Length ? _idToToken[id] : null;

    /// <summary>True when <paramref name="id"/> is an added token marked special.</summary>
    public bool IsSpecial(int id) => id >= 0 && id < _isSpecial.Length && _isSpecial[id];

    /// <summary>Encodes <paramref name="text"/> to token ids.</summary>
    /// <param name="text">Any string; lone surrogates read as U+FFFD.</param>
    /// <param name="addSpecialTokens">Apply the post-processor (Llama 3 prepends <c>&lt;|begin_of_text|&gt;</c>; Qwen adds nothing).
    /// True by default, as in tokenizers.</param>
    /// <param name="parseSpecialTokens">Recognize special added tokens written in the text. False treats them as
    /// plain text (tokenizers' <c>split_special_tokens</c>), for untrusted user content.</param>
    public int[] Encode(string text, bool addSpecialTokens = true, bool parseSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        if (addSpecialTokens) ids.AddRange(_postProcessor.Prefix);
        EncodeInto(WithoutLoneSurrogates(text), parseSpecialTokens, ids);
        if (addSpecialTokens) ids.AddRange(_postProcessor.Suffix);
        return [.. ids];
    }

    /// <summary>
    /// Added tokens are cut out twice, as in tokenizers: those with normalized=false from the raw text,
    /// then, after normalizing what lies between them, those with normalized=true.
    /// </summary>
    void EncodeInto(string text, bool parseSpecialTokens, List<int> ids)
    {
        var raw = new List<(int Start, int Length, int Id)>();
        if (_rawAddedTokens.IsEmpty) raw.Add((0, text.Length, -1));
        else _rawAddedTokens.Split(text, parseSpecialTokens, raw);
        var normalizedSegments = new List<(int Start, int Length, int Id)>();
        foreach (var (start, length, id) in raw)
        {
            if (id >= 0) { ids.Add(id); continue; }
            string plain = text.Substring(start, length);
            string normalized = _normalizer?.Normalize(plain) ?? plain;
            if (_normalizedAddedTokens.IsEmpty) { EncodePlain(normalized, ids); continue; }
            normalizedSegments.Clear();
            _normalizedAddedTokens.Split(normalized, parseSpecialTokens, normalizedSegments);
            foreach (var (s, l, innerId) in normalizedSegments)
                if (innerId >= 0) ids.Add(innerId);
                else EncodePlain(normalized.Substring(s, l), ids);
        }
    }

    void EncodePlain(string text, List<int> ids)
    {
        if (text.Length == 0) return;
        if (_preTokenizer is null) { _model.Encode(text, _byteLevel, ids); return; }
        var pieces = _pieces ??= new();
        pieces.Clear();
        _preTokenizer.Split(Piece.Whole(text), pieces);
        foreach (var piece in pieces) _model.Encode(piece.Span, _byteLevel, ids);
        pieces.Clear();
    }

    static string WithoutLoneSurrogates(string text)
    {
        int i = 0;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            break;
        }
        if (i >= text.Length) return text;
        var sb = new StringBuilder(text.Length);
        for (int k = 0; k < text.Length; k++)
        {
            char c = text[k];
            if (char.IsHighSurrogate(c) && k + 1 < text.Length && char.IsLowSurrogate(text[k + 1])) { sb.Append(c).Append(text[++k]); }
            else sb.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
        }
        return sb.ToString();
    }

    /// <summary>Decodes ids to text. Invalid UTF-8 (a character cut between ids) reads as U+FFFD.</summary>
    /// <param name="ids">Token ids.</param>
    /// <param name="skipSpecialTokens">Leave out added tokens marked special (<c>&lt;|im_end|&gt;</c>); non-special ones such as <c>&lt;tool_call&gt;</c> stay.</param>
    /// <exception cref="ArgumentOutOfRangeException">An id with no token.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var bytes = new List<byte>();
        foreach (int id in ids) AppendBytes(id, skipSpecialTokens, bytes);
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    /// <summary>A decoder that turns ids into text one at a time, never splitting a character.</summary>
    public StreamingDecoder CreateStreamingDecoder(bool skipSpecialTokens = false) => new(this, skipSpecialTokens);

    /// <summary>The bytes <paramref name="id"/> decodes to (none for a skipped special token).</summary>
    internal void AppendBytes(int id, bool skipSpecialTokens, List<byte> output)
    {
        if (_unsupportedDecoder is not null)
            throw new NotSupportedException($"{Source}: field 'decoder': decoder '{_unsupportedDecoder}' is not supported; only ByteLevel");
        if (id < 0 || id >= _tokenBytes.Length || _tokenBytes[id] is not { } bytes)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"No token has id {id} (vocabulary size {VocabSize}).");
        if (skipSpecialTokens && _isSpecial[id]) return;
        output.AddRange(bytes);
    }
}
