using System.Text.RegularExpressions;

namespace Whetstone.Models.Tokenization.PreTokenization;

/// <summary>
/// tokenizer.json <c>{"type": "ByteLevel", "add_prefix_space": …, "use_regex": …}</c>: optionally a
/// leading space, optionally the GPT-2 split. The byte-to-symbol mapping itself happens in BPE, which
/// reads the UTF-8 bytes of each piece directly.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : PreTokenizer
{
    /// <summary>The split GPT-2 introduced; Llama 3 and Qwen replace it with their own Split and turn this off.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    static readonly Lazy<SplitPreTokenizer> Gpt2Split =
        new(() => new SplitPreTokenizer(OnigurumaPattern.Compile(Gpt2Pattern), SplitBehavior.Isolated, invert: false));

    /// <inheritdoc />
    public override bool IsByteLevel => true;

    /// <inheritdoc />
    public override void Split(Piece piece, List<Piece> output)
    {
        // As in tokenizers: every piece that reaches here gets the space, not only the first of the text.
        if (addPrefixSpace && (piece.Length == 0 || piece.Span[0] != ' '))
            piece = Piece.Whole(" " + piece.Span.ToString());
        if (useRegex) Gpt2Split.Value.Split(piece, output);
        else if (piece.Length > 0) output.Add(piece);
    }
}
