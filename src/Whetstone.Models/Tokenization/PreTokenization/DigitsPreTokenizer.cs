using System.Globalization;

namespace Whetstone.Models.Tokenization.PreTokenization;

/// <summary>
/// tokenizer.json <c>{"type": "Digits", "individual_digits": …}</c> (SmolLM uses it before ByteLevel):
/// isolates each numeric code point, or each run of them.
/// </summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : PreTokenizer
{
    /// <inheritdoc />
    public override void Split(Piece piece, List<Piece> output)
    {
        var span = piece.Span;
        int runStart = 0;
        bool runIsDigit = false;
        for (int i = 0; i < span.Length;)
        {
            int width = char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]) ? 2 : 1;
            int cp = width == 2 ? char.ConvertToUtf32(span[i], span[i + 1]) : span[i];
            bool digit = IsNumeric(cp);
            if (i > runStart && (digit != runIsDigit || (digit && individualDigits)))
            {
                output.Add(new Piece(piece.Text, piece.Start + runStart, i - runStart));
                runStart = i;
            }
            runIsDigit = digit;
            i += width;
        }
        if (span.Length > runStart) output.Add(new Piece(piece.Text, piece.Start + runStart, span.Length - runStart));
    }

    // Rust's char::is_numeric: general categories Nd, Nl and No.
    static bool IsNumeric(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
