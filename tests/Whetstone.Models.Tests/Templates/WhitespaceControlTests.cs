namespace Whetstone.Models.Tests.Templates;

/// <summary>trim_blocks, lstrip_blocks, '-' and '+' markers, and the dropped trailing newline.</summary>
public class WhitespaceControlTests
{
    [Fact]
    public void TrimBlocksEatsOneNewlineAfterBlockTag() => Assert.Equal("a\n\nb", Render.Of("{% if true %}\na\n\n{% endif %}\nb"));

    [Fact]
    public void TrimBlocksDoesNotApplyToExpressions() => Assert.Equal("x\ny", Render.Of("{{ 'x' }}\ny"));

    [Fact]
    public void LstripBlocksRemovesIndentBeforeBlockTag() => Assert.Equal("a\nb\n", Render.Of("a\n    {% if true %}\nb\n    {% endif %}\n"));

    [Fact]
    public void LstripBlocksKeepsIndentBeforeExpression() => Assert.Equal("  v", Render.Of("  {{ 'v' }}"));

    [Fact]
    public void LstripBlocksNeedsOnlyWhitespaceBeforeTag() => Assert.Equal("a  b", Render.Of("a  {% if true %}b{% endif %}"));

    [Fact]
    public void DashStripsAllWhitespaceIncludingNewlines() => Assert.Equal("ab", Render.Of("a \n\t {%- if true -%} \n\n b {%- endif %}"));

    [Fact]
    public void DashOnExpressions() => Assert.Equal("[x]", Render.Of("[\n  {{- 'x' -}}\n  ]"));

    [Fact]
    public void PlusDisablesLstripAndTrim()
    {
        Assert.Equal("  x", Render.Of("  {%+ if true %}x{% endif %}"));
        Assert.Equal("\nx", Render.Of("{% if true +%}\nx{% endif %}"));
    }

    [Fact]
    public void CommentsAreRemovedWithTheirLine() => Assert.Equal("a\nb", Render.Of("a\n  {# note #}\nb"));

    [Fact]
    public void OneTrailingNewlineIsDropped() => Assert.Equal("x\n", Render.Of("x\n\n"));

    [Fact]
    public void CrLfBecomesLf() => Assert.Equal("a\nb", Render.Of("a\r\n{% if true %}\r\nb{% endif %}"));

    [Fact]
    public void RawBlockIsVerbatim() => Assert.Equal("{{ x }}{% if %}", Render.Of("{% raw %}{{ x }}{% if %}{% endraw %}"));
}
