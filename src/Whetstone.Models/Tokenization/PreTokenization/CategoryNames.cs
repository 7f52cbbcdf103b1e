using System.Globalization;

namespace Whetstone.Models.Tokenization.PreTokenization;

/// <summary>Unicode general-category names as Oniguruma spells them (L, Lu, Letter, Uppercase_Letter…).</summary>
internal static class CategoryNames
{
    static readonly (string Abbreviation, string Long, UnicodeCategory Category)[] Single =
    [
        ("Lu", "Uppercase_Letter", UnicodeCategory.UppercaseLetter),
        ("Ll", "Lowercase_Letter", UnicodeCategory.LowercaseLetter),
        ("Lt", "Titlecase_Letter", UnicodeCategory.TitlecaseLetter),
        ("Lm", "Modifier_Letter", UnicodeCategory.ModifierLetter),
        ("Lo", "Other_Letter", UnicodeCategory.OtherLetter),
        ("Mn", "Nonspacing_Mark", UnicodeCategory.NonSpacingMark),
        ("Mc", "Spacing_Mark", UnicodeCategory.SpacingCombiningMark),
        ("Me", "Enclosing_Mark", UnicodeCategory.EnclosingMark),
        ("Nd", "Decimal_Number", UnicodeCategory.DecimalDigitNumber),
        ("Nl", "Letter_Number", UnicodeCategory.LetterNumber),
        ("No", "Other_Number", UnicodeCategory.OtherNumber),
        ("Pc", "Connector_Punctuation", UnicodeCategory.ConnectorPunctuation),
        ("Pd", "Dash_Punctuation", UnicodeCategory.DashPunctuation),
        ("Ps", "Open_Punctuation", UnicodeCategory.OpenPunctuation),
        ("Pe", "Close_Punctuation", UnicodeCategory.ClosePunctuation),
        ("Pi", "Initial_Punctuation", UnicodeCategory.InitialQuotePunctuation),
        ("Pf", "Final_Punctuation", UnicodeCategory.FinalQuotePunctuation),
        ("Po", "Other_Punctuation", UnicodeCategory.OtherPunctuation),
        ("Sm", "Math_Symbol", UnicodeCategory.MathSymbol),
        ("Sc", "Currency_Symbol", UnicodeCategory.CurrencySymbol),
        ("Sk", "Modifier_Symbol", UnicodeCategory.ModifierSymbol),
        ("So", "Other_Symbol", UnicodeCategory.OtherSymbol),
        ("Zs", "Space_Separator", UnicodeCategory.SpaceSeparator),
        ("Zl", "Line_Separator", UnicodeCategory.LineSeparator),
        ("Zp", "Paragraph_Separator", UnicodeCategory.ParagraphSeparator),
        ("Cc", "Control", UnicodeCategory.Control),
        ("Cf", "Format", UnicodeCategory.Format),
        ("Cs", "Surrogate", UnicodeCategory.Surrogate),
        ("Co", "Private_Use", UnicodeCategory.PrivateUse),
        ("Cn", "Unassigned", UnicodeCategory.OtherNotAssigned),
    ];

    static readonly (string Abbreviation, string Long)[] Groups =
        [("L", "Letter"), ("M", "Mark"), ("N", "Number"), ("P", "Punctuation"), ("S", "Symbol"), ("Z", "Separator"), ("C", "Other")];

    /// <summary>The .NET abbreviation and the categories for an Oniguruma property name, or null if unknown.</summary>
    public static (string Abbreviation, UnicodeCategory[] Categories)? Resolve(string name)
    {
        string key = name.Replace(" ", "_").Replace("-", "_");
        foreach (var (abbreviation, longName, category) in Single)
            if (Same(key, abbreviation) || Same(key, longName)) return (abbreviation, [category]);
        foreach (var (abbreviation, longName) in Groups)
            if (Same(key, abbreviation) || Same(key, longName))
                return (abbreviation, Single.Where(s => s.Abbreviation[0] == abbreviation[0]).Select(s => s.Category).ToArray());
        return null;
    }

    // Oniguruma matches property names case-insensitively, ignoring '_'; one-letter names only exactly.
    static bool Same(string a, string b) => a.Length <= 2 || b.Length <= 2
        ? a == b
        : string.Equals(a.Replace("_", ""), b.Replace("_", ""), StringComparison.OrdinalIgnoreCase);
}
