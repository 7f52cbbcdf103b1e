namespace Whetstone.Models.Tests.Templates;

/// <summary>Filters (tojson as transformers defines it, and Jinja's built-ins) and tests.</summary>
public class FilterAndTestTests
{
    [Fact]
    public void TojsonKeepsNonAsciiAndKeyOrder() =>
        Assert.Equal("{\"z\": \"é😀\", \"a\": [1, 2.5, null, true]}", Render.Of("{{ v | tojson }}", """{"v":{"z":"é😀","a":[1,2.5,null,true]}}"""));

    [Fact]
    public void TojsonIndentAndSortKeys()
    {
        Assert.Equal("{\n  \"b\": [\n    1\n  ],\n  \"a\": {}\n}", Render.Of("{{ v | tojson(indent=2) }}", """{"v":{"b":[1],"a":{}}}"""));
        Assert.Equal("{\"a\": {}, \"b\": [1]}", Render.Of("{{ v | tojson(sort_keys=true) }}", """{"v":{"b":[1],"a":{}}}"""));
    }

    [Theory]
    [InlineData("{{ '  x ' | trim }}|{{ 'Ab' | upper }}|{{ 'Ab' | lower }}|{{ 'hI' | capitalize }}", "x|AB|ab|Hi")]
    [InlineData("{{ [1,2] | length }} {{ 'abc' | length }} {{ missing | length }}", "2 3 0")]
    [InlineData("{{ [1, 'a'] | join(', ') }} {{ [1,2] | first }} {{ [1,2] | last }}", "1, a 1 2")]
    [InlineData("{{ missing | default('d') }} {{ '' | default('d') }} {{ '' | default('d', true) }}", "d  d")]
    [InlineData("{{ '42' | int }} {{ 'x' | int }} {{ 3.9 | int }} {{ '1.5' | float }}", "42 0 3 1.5")]
    [InlineData("{{ [3,1,2] | sort }} {{ [1,2,1] | unique | list }} {{ [1,2] | reverse | list }} {{ [1,2,3] | sum }}", "[1, 2, 3] [1, 2] [2, 1] 6")]
    [InlineData("{{ 2.5 | round }} {{ 3.5 | round }} {{ 2.675 | round(2) }} {{ 3.2 | round(0, 'ceil') }}", "2.0 4.0 2.67 4.0")]
    [InlineData("{{ [1,2,3,4] | select('odd') | list }} {{ ['a','b'] | map('upper') | join }}", "[1, 3] AB")]
    [InlineData("{{ 'a\\nb' | indent(2) }}|{{ 'x' | replace('x', 'y') }}|{{ '<' | e }}|{{ '<' | safe }}", "a\n  b|y|&lt;|<")]
    [InlineData("{{ '%.2f|%5d|%-4s|%03d|%e|%x' | format(3.14159, 42, 'ab', 7, 1500.0, 255) }}", "3.14|   42|ab  |007|1.500000e+03|ff")]
    [InlineData("{{ '%s' | format([1, 2]) }} {{ '%(a)s-%(b)d' % {'a': 'x', 'b': 2} }}", "[1, 2] x-2")]
    public void Filters(string template, string expected) => Assert.Equal(expected, Render.Of(template));

    [Fact]
    public void SelectAttrAndMapAttribute() =>
        Assert.Equal("a,c 1", Render.Of("{{ ms | selectattr('role', 'equalto', 'user') | map(attribute='content') | join(',') }} {{ ms | selectattr('tool_calls', 'defined') | list | length }}",
            """{"ms":[{"role":"user","content":"a"},{"role":"assistant","content":"b","tool_calls":[]},{"role":"user","content":"c"}]}"""));

    [Theory]
    [InlineData("{{ x is defined }} {{ y is defined }} {{ x is none }} {{ y is none }}", "True False True False")]
    [InlineData("{{ 's' is string }} {{ 1 is number }} {{ 1 is integer }} {{ 1.0 is float }} {{ true is boolean }}", "True True True True True")]
    [InlineData("{{ {} is mapping }} {{ [] is sequence }} {{ 's' is iterable }} {{ 'a' is not mapping }}", "True True True True")]
    [InlineData("{{ 3 is odd }} {{ 9 is divisibleby 3 }} {{ 'a' is equalto 'a' }} {{ false is false }} {{ 1 is in [1] }}", "True True True True True")]
    public void Tests(string template, string expected) => Assert.Equal(expected, Render.Of(template, """{"x":null}"""));
}
