namespace Whetstone.Models.Tokenization.Training;

/// <summary>Settings of <see cref="BpeTrainer"/>. The defaults make a Qwen-style tokenizer for tool-using chat.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>The pre-tokenizer regex of Qwen2/Qwen3 (and, with <c>\p{N}{1,3}</c>, of Llama 3).</summary>
    public const string QwenPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Total ids: 256 byte tokens + merges + added tokens. Training stops earlier when no pair is frequent enough.</summary>
    public int VocabSize { get; init; } = 4096;

    /// <summary>A pair must occur at least this often (counting word frequencies) to be merged.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>Special added tokens (skipped by decode with skipSpecialTokens), given the ids right after the merges.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    /// <summary>Non-special added tokens (kept by every decode), after the special ones; Qwen marks these non-special.</summary>
    public IReadOnlyList<string> AddedTokens { get; init; } = ["<tool_call>", "</tool_call>", "<think>", "</think>"];

    /// <summary>The Split pre-tokenizer regex (Oniguruma syntax, as written into tokenizer.json).</summary>
    public string Pattern { get; init; } = QwenPattern;

    /// <summary>Add Qwen's NFC normalizer. Off by default so that decode(encode(x)) == x for every string.</summary>
    public bool Nfc { get; init; }
}
