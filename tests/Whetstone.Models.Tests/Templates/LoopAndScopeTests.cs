namespace Whetstone.Models.Tests.Templates;

/// <summary>for-loops, the loop variable, Jinja's scoping rules, namespace, macros and globals.</summary>
public class LoopAndScopeTests
{
    [Fact]
    public void LoopVariables() =>
        Assert.Equal("1/0/3/2/True/False/3 2/1/2/1/False/False/3 3/2/1/0/False/True/3 ",
            Render.Of("{% for x in 'abc' %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }} {% endfor %}"));

    [Fact]
    public void PrevNextAndCycle() =>
        Assert.Equal("-2a 13b 2-a ", Render.Of("{% for x in [1,2,3] %}{{ loop.previtem }}{{ '-' if loop.previtem is undefined }}{{ loop.nextitem }}{{ '-' if loop.nextitem is undefined }}{{ loop.cycle('a','b') }} {% endfor %}"));

    [Fact]
    public void ElseFilterAndUnpacking()
    {
        Assert.Equal("empty", Render.Of("{% for x in [] %}x{% else %}empty{% endfor %}"));
        Assert.Equal("1/2 3/2 ", Render.Of("{% for x in range(5) if x is odd %}{{ x }}/{{ loop.length }} {% endfor %}"));
        Assert.Equal("a=1;b=2;", Render.Of("{% for k, v in d | items %}{{ k }}={{ v }};{% endfor %}", """{"d":{"a":1,"b":2}}"""));
    }

    [Fact]
    public void BreakAndContinue() =>
        Assert.Equal("0134", Render.Of("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}"));

    [Fact]
    public void SetInsideLoopDoesNotLeakButIfDoes()
    {
        Assert.Equal("innerouter", Render.Of("{% set x = 'outer' %}{% for i in [1] %}{% set x = 'inner' %}{{ x }}{% endfor %}{{ x }}"));
        Assert.Equal("5", Render.Of("{% if true %}{% set y = 5 %}{% endif %}{{ y }}"));
    }

    [Fact]
    public void NamespaceCarriesValuesOutOfLoops() =>
        Assert.Equal("6 0123 2", Render.Of("{% set ns = namespace(n=0, s='', last=-1) %}{% for i in range(4) %}{% set ns.n = ns.n + i %}{% set ns.s = ns.s ~ i %}{% if i is even %}{% set ns.last = i %}{% endif %}{% endfor %}{{ ns.n }} {{ ns.s }} {{ ns.last }}"));

    [Fact]
    public void BlockSetCapturesOutput() => Assert.Equal("[HI BOB]", Render.Of("{% set b | upper %}hi {{ name }}{% endset %}[{{ b }}]", """{"name":"Bob"}"""));

    [Fact]
    public void MacrosWithDefaultsAndKeywords() =>
        Assert.Equal("Hi A! Hi B? Hi C.", Render.Of("{% macro greet(who, p='!') %}Hi {{ who }}{{ p }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(p='.', who='C') }}"));

    [Fact]
    public void GenerationTagRendersItsBody() => Assert.Equal("<a>reply</a>", Render.Of("<a>{% generation %}reply{% endgeneration %}</a>"));

    [Fact]
    public void RangeAndDictGlobals() => Assert.Equal("[0, 1, 2] [5, 3, 1] {\"a\": 1}", Render.Of("{{ range(3) | list }} {{ range(5, 0, -2) | list }} {{ dict(a=1) | tojson }}"));
}
