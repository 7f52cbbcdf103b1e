using System.Text;
using System.Text.RegularExpressions;

namespace Whetstone.Models.Tokenization.Normalization;

/// <summary>One normalizer of tokenizer.json; runs on the text between added tokens, before pre-tokenization.</summary>
internal abstract class TextNormalizer
{
    /// <summary>The normalized text.</summary>
    public abstract string Normalize(string text);
}

/// <summary><c>{"type": "NFC"}</c>, NFD, NFKC, NFKD.</summary>
internal sealed class UnicodeFormNormalizer(NormalizationForm form) : TextNormalizer
{
    /// <inheritdoc />
    public override string Normalize(string text) => UnicodeNormalizer.Normalize(text, form);
}

/// <summary><c>{"type": "Lowercase"}</c>.</summary>
internal sealed class LowercaseNormalizer : TextNormalizer
{
    /// <inheritdoc />
    public override string Normalize(string text) => text.ToLowerInvariant();
}

/// <summary><c>{"type": "Replace", "pattern": {"String"|"Regex": …}, "content": …}</c>.</summary>
internal sealed class ReplaceNormalizer(Regex pattern, string content) : TextNormalizer
{
    /// <inheritdoc />
    public override string Normalize(string text) => pattern.Replace(text, content.Replace("$", "$$"));
}

/// <summary><c>{"type": "Prepend", "prepend": …}</c>: prefixes non-empty text.</summary>
internal sealed class PrependNormalizer(string prefix) : TextNormalizer
{
    /// <inheritdoc />
    public override string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}

/// <summary><c>{"type": "Strip", "left": …, "right": …}</c>: trims whitespace.</summary>
internal sealed class StripNormalizer(bool left, bool right) : TextNormalizer
{
    /// <inheritdoc />
    public override string Normalize(string text) => left && right ? text.Trim() : left ? text.TrimStart() : right ? text.TrimEnd() : text;
}

/// <summary><c>{"type": "Sequence", "normalizers": [...]}</c>.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<TextNormalizer> stages) : TextNormalizer
{
    /// <inheritdoc />
    public override string Normalize(string text)
    {
        foreach (var stage in stages) text = stage.Normalize(text);
        return text;
    }
}
