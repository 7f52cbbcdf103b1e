namespace Whetstone.Models.Gguf;

/// <summary>
/// The llama.cpp token type written to <c>tokenizer.ggml.token_type</c>. llama.cpp matches
/// <see cref="Control"/> and <see cref="UserDefined"/> tokens in text before BPE, and hides control tokens when
/// it renders output.
/// </summary>
public enum GgufTokenType
{
    /// <summary>A vocabulary token produced by BPE.</summary>
    Normal = 1,
    /// <summary>The unknown token.</summary>
    Unknown = 2,
    /// <summary>A special added token (<c>&lt;|im_end|&gt;</c>), or one that looks like one.</summary>
    Control = 3,
    /// <summary>A non-special added token kept as text (<c>&lt;tool_call&gt;</c>, <c>&lt;think&gt;</c>).</summary>
    UserDefined = 4,
    /// <summary>A filler for an id no token has (<c>[PAD151669]</c>).</summary>
    Unused = 5,
    /// <summary>A SentencePiece byte token; byte-level BPE has none.</summary>
    Byte = 6,
}
