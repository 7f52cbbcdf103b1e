using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;

namespace Whetstone.Agents.Tests.Tools;

public class HermesToolCallParserTests
{
    [Fact]
    public void ReadsOneCallAndTheContentAroundIt()
    {
        var result = HermesToolCallParser.Parse(
            "Let me compute.\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"2+2\"}}\n</tool_call>");

        Assert.Equal("Let me compute.", result.Content);
        var call = Assert.Single(result.ToolCalls);
        Assert.Equal(new ToolCall("call_0", "calculator", "{\"expression\": \"2+2\"}"), call);
        Assert.Empty(result.MalformedToolCalls);
    }

    [Fact]
    public void ReadsSeveralCallsWithDeterministicIds()
    {
        var text = "<tool_call>{\"name\":\"pull\",\"arguments\":{\"arm\":1}}</tool_call>\n\n  <tool_call>\r\n\t{ \"name\" : \"pull\" ,\n \"arguments\" : { \"arm\" : 2 } }  \n</tool_call>";
        var result = HermesToolCallParser.Parse(text);

        Assert.Null(result.Content);
        Assert.Equal(["call_0", "call_1"], result.ToolCalls.Select(c => c.Id));
        Assert.Equal(["pull", "pull"], result.ToolCalls.Select(c => c.Name));
        Assert.Equal(result.ToolCalls, HermesToolCallParser.Parse(text).ToolCalls);
    }

    [Fact]
    public void AcceptsArgumentsAsAJsonStringHoldingAnObject()
    {
        var result = HermesToolCallParser.Parse("<tool_call>{\"name\":\"answer\",\"arguments\":\"{\\\"value\\\": 7}\"}</tool_call>");
        Assert.Equal("{\"value\": 7}", Assert.Single(result.ToolCalls).ArgumentsJson);
    }

    [Fact]
    public void MissingArgumentsMeanAnEmptyObject() =>
        Assert.Equal("{}", Assert.Single(HermesToolCallParser.Parse("<tool_call>{\"name\":\"look\"}</tool_call>").ToolCalls).ArgumentsJson);

    [Theory]
    [InlineData("<tool_call>{\"name\": \"calculator\", \"arguments\": {\"expression\": }</tool_call>", "not valid JSON")]
    [InlineData("<tool_call>{\"arguments\": {}}</tool_call>", "no \"name\"")]
    [InlineData("<tool_call>[1, 2]</tool_call>", "must be a JSON object")]
    [InlineData("<tool_call>{\"name\": \"x\", \"arguments\": 5}</tool_call>", "\"arguments\" of x must be a JSON object")]
    [InlineData("<tool_call>{\"name\": \"x\", \"arguments\": \"not json\"}</tool_call>", "must be a JSON object")]
    [InlineData("<tool_call>   </tool_call>", "empty tool call")]
    [InlineData("<tool_call>{\"name\": \"x\", \"arguments\": {}}", "unterminated")]
    public void MalformedCallsBecomeStructuredErrors(string text, string expectedError)
    {
        var result = HermesToolCallParser.Parse(text);
        Assert.Empty(result.ToolCalls);
        var malformed = Assert.Single(result.MalformedToolCalls);
        Assert.Contains(expectedError, malformed.Error);
        Assert.StartsWith("<tool_call>", malformed.RawText);
    }

    [Fact]
    public void AnUnterminatedCallDoesNotSwallowTheNextOne()
    {
        var result = HermesToolCallParser.Parse(
            "<tool_call>{\"name\": \"a\"<tool_call>{\"name\": \"b\", \"arguments\": {}}</tool_call>");
        Assert.Equal("b", Assert.Single(result.ToolCalls).Name);
        Assert.Contains("unterminated", Assert.Single(result.MalformedToolCalls).Error);
    }

    [Fact]
    public void IdsCountOnlyWellFormedCalls()
    {
        var result = HermesToolCallParser.Parse(
            "<tool_call>oops</tool_call><tool_call>{\"name\":\"a\"}</tool_call><tool_call>{\"name\":\"b\"}</tool_call>");
        Assert.Equal(["call_0", "call_1"], result.ToolCalls.Select(c => c.Id));
        Assert.Single(result.MalformedToolCalls);
    }

    [Fact]
    public void TextWithoutTagsIsAllContent()
    {
        var result = HermesToolCallParser.Parse("  The answer is 4.  ");
        Assert.Equal("The answer is 4.", result.Content);
        Assert.Empty(result.ToolCalls);
        Assert.Empty(result.MalformedToolCalls);
        Assert.Null(HermesToolCallParser.Parse(null).Content);
    }

    [Theory]
    [InlineData("<tool_call>")]
    [InlineData("</tool_call>")]
    [InlineData("<tool_call></tool_call></tool_call><tool_call>")]
    [InlineData("<tool_call>{\"name\":null}</tool_call>")]
    [InlineData("<tool_call>{\"name\":\"\\ud800\"}</tool_call>")]
    [InlineData("<tool_call>{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{</tool_call>")]
    public void NeverThrowsOnGarbage(string text) => HermesToolCallParser.Parse(text);

    [Fact]
    public void ToleratesACodeFenceInsideTheTags()
    {
        var result = HermesToolCallParser.Parse("<tool_call>\n```json\n{\"name\":\"a\",\"arguments\":{}}\n```\n</tool_call>");
        Assert.Equal("a", Assert.Single(result.ToolCalls).Name);
    }

    [Fact]
    public void FormatterOutputParsesBackToTheSameCalls()
    {
        ToolCall[] calls =
        [
            new("call_0", "calculator", "{\"expression\":\"3*(4+5)\"}"),
            new("call_1", "answer", "{\"value\":27}"),
        ];
        var text = HermesToolCallFormatter.Format("Working.", calls);

        Assert.Equal(
            "Working.\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\":\"3*(4+5)\"}}\n</tool_call>\n" +
            "<tool_call>\n{\"name\": \"answer\", \"arguments\": {\"value\":27}}\n</tool_call>", text);
        var parsed = HermesToolCallParser.Parse(text);
        Assert.Equal("Working.", parsed.Content);
        Assert.Equal(calls, parsed.ToolCalls);
    }
}
