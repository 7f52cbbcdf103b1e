namespace Whetstone.Models.Tokenization.PreTokenization;

/// <summary>A slice of a string: pre-tokenizers cut text into pieces without copying it.</summary>
internal readonly record struct Piece(string Text, int Start, int Length)
{
    /// <summary>The characters of the piece.</summary>
    public ReadOnlySpan<char> Span => Text.AsSpan(Start, Length);

    /// <summary>A piece covering a whole string.</summary>
    public static Piece Whole(string text) => new(text, 0, text.Length);
}

/// <summary>One pre-tokenizer of tokenizer.json: cuts each piece into smaller pieces that BPE sees separately.</summary>
internal abstract class PreTokenizer
{
    /// <summary>Appends the pieces of <paramref name="piece"/> to <paramref name="output"/>, in order, none empty.</summary>
    public abstract void Split(Piece piece, List<Piece> output);

    /// <summary>True when this pre-tokenizer (or one inside it) maps text to byte-level symbols.</summary>
    public virtual bool IsByteLevel => false;
}
