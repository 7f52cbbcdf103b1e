using Whetstone.Models.Tokenization.PreTokenization;

namespace Whetstone.Models.Tests.Tokenization;

/// <summary>Translated patterns must match code points as Oniguruma does, not UTF-16 chars.</summary>
public class OnigurumaPatternTests
{
    static string[] Matches(string pattern, string text) =>
        OnigurumaPattern.Compile(pattern).Matches(text).Select(m => m.Value).ToArray();

    [Fact]
    public void LetterClassMatchesLettersOutsideTheBmp() =>
        Assert.Equal(["a𠀀b", "𝐀𝐁"], Matches(@"\p{L}+", "a𠀀b 𝐀𝐁 😀"));

    [Fact]
    public void NegatedClassTakesAWholeEmojiNotHalf() =>
        // Qwen's "[^\r\n\p{L}\p{N}]?\p{L}+": the optional prefix is the whole emoji.
        Assert.Equal(["😀abc"], Matches(@"[^\r\n\p{L}\p{N}]?\p{L}+", "😀abc"));

    [Fact]
    public void NumberClassMatchesMathematicalDigits() =>
        Assert.Equal(["𝟙", "𝟚"], Matches(@"\p{N}", "𝟙𝟚"));

    [Fact]
    public void IgnoreCaseFoldsLongS() =>
        Assert.Equal(["'ſ", "'S"], Matches(@"(?i:'s)", "x'ſa 'S"));

    [Fact]
    public void DotMatchesOneCodePointButNotNewline() =>
        Assert.Equal(["😀", "a"], Matches(".", "😀\na"));

    [Fact]
    public void LookaheadAndWhitespaceRuleOfGpt2() =>
        Assert.Equal(["a", "  ", " b"], Matches(@" ?\p{L}+|\s+(?!\S)|\s+", "a   b"));

    [Theory]
    [InlineData(@"a++")]
    [InlineData(@"[[a]]")]
    [InlineData(@"\p{Greek}")]
    public void UnsupportedConstructsAreReported(string pattern) =>
        Assert.ThrowsAny<ArgumentException>(() => OnigurumaPattern.Translate(pattern));
}
