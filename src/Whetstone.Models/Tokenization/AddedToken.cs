namespace Whetstone.Models.Tokenization;

/// <summary>
/// An entry of tokenizer.json's <c>added_tokens</c>: a string that is cut out of the text before
/// normalization and BPE and becomes one id, such as <c>&lt;|im_start|&gt;</c> or <c>&lt;tool_call&gt;</c>.
/// </summary>
/// <param name="Id">The token id.</param>
/// <param name="Content">The exact text of the token.</param>
/// <param name="Special">Special tokens are dropped by <see cref="Tokenizer.Decode"/> when asked to skip them.</param>
/// <param name="LStrip">The match also takes the whitespace on its left.</param>
/// <param name="RStrip">The match also takes the whitespace on its right.</param>
/// <param name="SingleWord">Matches only when not inside a word.</param>
/// <param name="Normalized">Matched against the normalized text rather than the raw text.</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool LStrip = false, bool RStrip = false,
    bool SingleWord = false, bool Normalized = false);
