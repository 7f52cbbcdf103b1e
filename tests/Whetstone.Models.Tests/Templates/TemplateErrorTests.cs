using Whetstone.Models.Templates;

namespace Whetstone.Models.Tests.Templates;

/// <summary>Unsupported constructs and runtime errors name what failed and where (line:column).</summary>
public class TemplateErrorTests
{
    private static TemplateException ParseError(string source) => Assert.Throws<TemplateException>(() => new JinjaTemplate(source));

    private static TemplateException RenderError(string source, Dictionary<string, object?>? vars = null) =>
        Assert.Throws<TemplateException>(() => new JinjaTemplate(source).Render(vars ?? []));

    private static void AssertAt(TemplateException e, int line, int column, string reasonFragment)
    {
        Assert.Contains(reasonFragment, e.Reason);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.EndsWith($"(template line {line}:{column})", e.Message);
    }

    [Fact]
    public void UnsupportedTagNamesTagAndPosition() =>
        AssertAt(ParseError("line one\n  {% include 'x.j2' %}"), 2, 6, "unsupported template tag '{% include %}'");

    [Fact]
    public void UnknownFilterFailsAtParse() => AssertAt(ParseError("{{ x | nosuch }}"), 1, 8, "unsupported filter 'nosuch'");

    [Fact]
    public void UnknownTestFailsAtParse() => AssertAt(ParseError("{% if x is nosuch %}{% endif %}"), 1, 12, "unsupported test 'nosuch'");

    [Fact]
    public void RecursiveLoopIsUnsupported() => AssertAt(ParseError("{% for x in y recursive %}{% endfor %}"), 1, 15, "'recursive'");

    [Fact]
    public void StarArgsAreUnsupported() => AssertAt(ParseError("{{ f(*args) }}"), 1, 6, "'*args'");

    [Fact]
    public void UnclosedBlockSaysWhatItExpected() =>
        AssertAt(ParseError("{% for x in y %}\n{{ x }}"), 2, 8, "expected '{% else %}' or '{% endfor %}'");

    [Fact]
    public void StrayEndTag() => AssertAt(ParseError("ok\n{% endfor %}"), 2, 4, "'{% endfor %}'");

    [Fact]
    public void UnterminatedString() => AssertAt(ParseError("{{ 'abc }}"), 1, 4, "unterminated string");

    [Fact]
    public void UnclosedExpression() => AssertAt(ParseError("a {{ x "), 1, 3, "unclosed expression");

    [Fact]
    public void AttributeOfUndefinedNamesTheMissingAttribute() =>
        AssertAt(RenderError("a\nb {{ x.y.z }}", new() { ["x"] = new Dictionary<string, object?>() }), 2, 9, "'dict object' has no attribute 'y'");

    [Fact]
    public void TypeErrorPointsAtOperator() =>
        AssertAt(RenderError("{{ 'a' + 1 }}"), 1, 8, "can only concatenate str (not \"int\") to str");

    [Fact]
    public void UnknownMethodIsReportedWhenCalled() =>
        AssertAt(RenderError("{{ 'a'.nosuch() }}"), 1, 14, "'str object' has no attribute 'nosuch'");

    [Fact]
    public void BreakOutsideLoop() => AssertAt(RenderError("x{% break %}"), 1, 2, "'break' outside a for-loop");

    [Fact]
    public void SetAttributeNeedsNamespace() =>
        AssertAt(RenderError("{% set d = {} %}\n{% set d.x = 1 %}"), 2, 1, "only namespace() objects can be changed");

    [Fact]
    public void RaiseExceptionCarriesTheMessage()
    {
        var e = RenderError("{% if true %}\n  {{ raise_exception('roles must alternate') }}\n{% endif %}");
        Assert.Equal("roles must alternate", e.Reason);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void MutatingListsIsRefusedAsInTheSandbox() =>
        Assert.Contains("immutable sandbox", RenderError("{% set l = [1] %}{{ l.append(2) }}").Reason);

    [Fact]
    public void TojsonOfUndefinedFails() =>
        Assert.Contains("not JSON serializable", RenderError("{{ missing | tojson }}").Reason);
}
