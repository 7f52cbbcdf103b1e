namespace Whetstone.Models.Tests.Templates;

/// <summary>Operators, precedence, literals, access and Python-style printing.</summary>
public class ExpressionTests
{
    [Theory]
    [InlineData("{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 3 }}", "3 -4 2 3.5 8")]
    [InlineData("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 1 ~ 2 * 3 }}", "7 9 16")]
    [InlineData("{{ 'a' ~ 1 ~ none ~ true }}", "a1NoneTrue")]
    [InlineData("{{ 'ab' * 2 }} {{ [1] + [2] }}", "abab [1, 2]")]
    [InlineData("{{ 1 == 1.0 }} {{ 'a' < 'b' }} {{ 1 < 2 < 3 }} {{ 2 != 2 }}", "True True True False")]
    [InlineData("{{ 'at' in 'cat' }} {{ 3 not in [1, 2] }}", "True True")]
    [InlineData("{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ not '' }}", "x b True")]
    [InlineData("{{ 'y' if 0 else 'n' }}[{{ 'y' if 0 }}]", "n[]")]
    [InlineData("{{ 0.1 }} {{ 1e-05 }} {{ 1e16 }} {{ 2.0 }} {{ 1/3 }}", "0.1 1e-05 1e+16 2.0 0.3333333333333333")]
    [InlineData("{{ [1, 'a', none, {'k': [true]}] }} {{ (1,) }}", "[1, 'a', None, {'k': [True]}] (1,)")]
    [InlineData("{{ [\"it's\"] }}", "[\"it's\"]")]
    [InlineData("{{ 'a\\tb\\n' | tojson }} {{ '\\u00e9' }}", "\"a\\tb\\n\" é")]
    public void Evaluates(string template, string expected) => Assert.Equal(expected, Render.Of(template));

    [Fact]
    public void AttributeAndItemAccess() =>
        Assert.Equal("u hi 30 20 f", Render.Of("{{ m.role }} {{ m['content'] }} {{ l[-1] }} {{ l.1 }} {{ m.calls[0].function.name }}",
            """{"m":{"role":"u","content":"hi","calls":[{"function":{"name":"f"}}]},"l":[10,20,30]}"""));

    [Fact]
    public void MissingAttributeIsUndefinedAndFalsy() =>
        Assert.Equal("[] False True", Render.Of("[{{ m.nope }}] {{ m.nope is defined }} {{ m.nope is not none }}", """{"m":{}}"""));

    [Fact]
    public void Slicing() =>
        Assert.Equal("[2, 3] [3, 2, 1] [1, 3] olleh el", Render.Of("{{ l[1:] }} {{ l[::-1] }} {{ l[::2] }} {{ s[::-1] }} {{ s[1:3] }}", """{"l":[1,2,3],"s":"hello"}"""));

    [Fact]
    public void StringMethods() =>
        Assert.Equal("['a', 'b'] b x True a+b ['a b', 'c'] 1 hi x",
            Render.Of("{{ 'a,b'.split(',') }} {{ 'a</think>b'.split('</think>')[-1] }} {{ '\\nx\\n'.strip('\\n') }} {{ 'abc'.startswith(('z', 'a')) }} {{ 'a-b'.replace('-', '+') }} {{ 'a b c'.rsplit(' ', 1) }} {{ 'hello'.find('e') }} {{ '{}'.format('hi') }} {{ '  x'.lstrip() }}"));

    [Fact]
    public void DictMethods() =>
        Assert.Equal("['a', 'b'] [1, 2] [('a', 1), ('b', 2)] 1 9", Render.Of("{{ d.keys() | list }} {{ d.values() | list }} {{ d.items() | list }} {{ d.get('a') }} {{ d.get('z', 9) }}", """{"d":{"a":1,"b":2}}"""));

    [Fact]
    public void JsonNumbersKeepIntOrFloat() => Assert.Equal("1 1.0 2.5", Render.Of("{{ a }} {{ b }} {{ c }}", """{"a":1,"b":1.0,"c":2.5}"""));
}
