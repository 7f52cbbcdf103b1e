namespace Whetstone.Models.Gguf;

/// <summary>
/// Metadata key names of llama.cpp (gguf-py's <c>Keys</c>). Per-architecture keys take the architecture name
/// as prefix: <c>ForArch("qwen3", ContextLength)</c> is <c>qwen3.context_length</c>.
/// </summary>
public static class GgufKeys
{
    /// <summary><c>llama</c>, <c>qwen2</c> or <c>qwen3</c>: picks llama.cpp's graph builder.</summary>
    public const string Architecture = "general.architecture";
    /// <summary>Display name of the model.</summary>
    public const string Name = "general.name";
    /// <summary>llama.cpp's <c>llama_ftype</c>: 0 all F32, 1 mostly F16.</summary>
    public const string FileType = "general.file_type";
    /// <summary>Version of the quantization formats (2), written by every converter.</summary>
    public const string QuantizationVersion = "general.quantization_version";

    /// <summary>Vocabulary size (rows of token_embd).</summary>
    public const string VocabSize = "vocab_size";
    /// <summary>Training context length.</summary>
    public const string ContextLength = "context_length";
    /// <summary>Hidden size.</summary>
    public const string EmbeddingLength = "embedding_length";
    /// <summary>Number of transformer blocks.</summary>
    public const string BlockCount = "block_count";
    /// <summary>MLP hidden size.</summary>
    public const string FeedForwardLength = "feed_forward_length";
    /// <summary>Query heads.</summary>
    public const string HeadCount = "attention.head_count";
    /// <summary>Key/value heads.</summary>
    public const string HeadCountKv = "attention.head_count_kv";
    /// <summary>RMSNorm epsilon (float32).</summary>
    public const string RmsNormEpsilon = "attention.layer_norm_rms_epsilon";
    /// <summary>Per-head width of keys.</summary>
    public const string KeyLength = "attention.key_length";
    /// <summary>Per-head width of values.</summary>
    public const string ValueLength = "attention.value_length";
    /// <summary>RoPE base (float32).</summary>
    public const string RopeFreqBase = "rope.freq_base";
    /// <summary>Number of rotated dimensions per head.</summary>
    public const string RopeDimensionCount = "rope.dimension_count";

    /// <summary>Tokenizer kind: <c>gpt2</c> for byte-level BPE.</summary>
    public const string TokenizerModel = "tokenizer.ggml.model";
    /// <summary>llama.cpp's name for the pre-tokenizer regex set (<c>qwen2</c>, <c>llama-bpe</c>…).</summary>
    public const string TokenizerPre = "tokenizer.ggml.pre";
    /// <summary>Every token's text, in id order.</summary>
    public const string Tokens = "tokenizer.ggml.tokens";
    /// <summary>Every token's <see cref="GgufTokenType"/> (int32), in id order.</summary>
    public const string TokenTypes = "tokenizer.ggml.token_type";
    /// <summary>BPE merges as "left right", in rank order.</summary>
    public const string Merges = "tokenizer.ggml.merges";
    /// <summary>Beginning-of-sequence token id.</summary>
    public const string BosTokenId = "tokenizer.ggml.bos_token_id";
    /// <summary>End-of-sequence token id.</summary>
    public const string EosTokenId = "tokenizer.ggml.eos_token_id";
    /// <summary>Unknown token id.</summary>
    public const string UnknownTokenId = "tokenizer.ggml.unknown_token_id";
    /// <summary>Separator token id (llama.cpp spells it <c>seperator</c>).</summary>
    public const string SeparatorTokenId = "tokenizer.ggml.seperator_token_id";
    /// <summary>Padding token id.</summary>
    public const string PaddingTokenId = "tokenizer.ggml.padding_token_id";
    /// <summary>Whether llama.cpp prepends BOS when it tokenizes a prompt.</summary>
    public const string AddBosToken = "tokenizer.ggml.add_bos_token";
    /// <summary>Whether llama.cpp appends EOS when it tokenizes a prompt.</summary>
    public const string AddEosToken = "tokenizer.ggml.add_eos_token";
    /// <summary>The Jinja chat template (tokenizer_config.json's <c>chat_template</c>).</summary>
    public const string ChatTemplate = "tokenizer.chat_template";

    /// <summary>A per-architecture key: <c>{arch}.{key}</c>.</summary>
    public static string ForArch(string architecture, string key) => architecture + "." + key;
}
