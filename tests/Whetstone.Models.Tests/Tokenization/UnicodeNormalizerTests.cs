using System.Text;
using Whetstone.Models.Tokenization.Normalization;

namespace Whetstone.Models.Tests.Tokenization;

public class UnicodeNormalizerTests
{
    [Theory]
    [InlineData("e\u0301", "\u00e9")]                  // compose
    [InlineData("\u212b", "\u00c5")]                   // singleton (Angstrom sign) → Å
    [InlineData("\u1112\u1161\u11ab", "\ud55c")]       // conjoining jamo → 한
    [InlineData("a\u0323\u0302", "a\u0323\u0302" )]    // no precomposed a+dot below+circumflex… 
    [InlineData("q\u0307\u0323", "q\u0323\u0307")]     // marks reordered by combining class
    [InlineData("plain ascii", "plain ascii")]
    public void Nfc(string input, string expected)
    {
        string actual = UnicodeNormalizer.Normalize(input, NormalizationForm.FormC);
        if (input == "a\u0323\u0302") expected = "\u1ead"; // ậ exists: a + dot below composes, then circumflex
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("\u00e9", "e\u0301")]
    [InlineData("\ud55c", "\u1112\u1161\u11ab")]
    [InlineData("\u1ead", "a\u0323\u0302")]
    public void Nfd(string input, string expected) => Assert.Equal(expected, UnicodeNormalizer.Normalize(input, NormalizationForm.FormD));

    [Theory]
    [InlineData("\ufb01", "fi")]
    [InlineData("x\u00b2", "x2")]
    [InlineData("\u017f", "s")]
    [InlineData("\uff46\uff55\uff4c\uff4c", "full")]
    public void Nfkc(string input, string expected) => Assert.Equal(expected, UnicodeNormalizer.Normalize(input, NormalizationForm.FormKC));

    [Fact]
    public void AstralCharactersSurvive() =>
        Assert.Equal("😀𝐀", UnicodeNormalizer.Normalize("😀𝐀", NormalizationForm.FormC));
}
