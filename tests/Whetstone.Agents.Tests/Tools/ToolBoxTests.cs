using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Tools;

public class ToolBoxTests
{
    private static ToolBox Box() => new ToolBox()
        .Add(ToolDefinition.Create("echo", "Echoes text.",
                """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"],"additionalProperties":false}"""),
            args => ToolResult.Ok(args.GetProperty("text").GetString()!))
        .Add(ToolDefinition.Create("fail", "Always refuses.", """{"type":"object","properties":{}}"""),
            _ => ToolResult.Error("error: refused"));

    [Fact]
    public void AnswersAWellFormedCallWithTheHandlersOutput()
    {
        var observation = Assert.Single(Box().Dispatch(AgentAction.Call(new ToolCall("call_0", "echo", "{\"text\":\"hi\"}"))));
        Assert.Equal(ObservationSource.Tool, observation.Source);
        Assert.Equal("call_0", observation.ToolCallId);
        Assert.Equal("echo", observation.Name);
        Assert.Equal("hi", observation.Content);
        Assert.False(observation.IsError);
    }

    [Fact]
    public void UnknownToolListsTheAvailableTools()
    {
        var box = Box();
        var observation = box.Invoke(new ToolCall("call_0", "ecko", "{}"));
        Assert.True(observation.IsError);
        Assert.Equal("call_0", observation.ToolCallId);
        Assert.Equal("error: unknown tool \"ecko\". Available tools: echo, fail.", observation.Content);
        Assert.Equal(new ToolCallCounts(1, 1, 0), box.Counts);
    }

    [Fact]
    public void SchemaViolationsAreReportedWithTheValidatorsMessages()
    {
        var observation = Box().Invoke(new ToolCall("call_0", "echo", "{\"text\":3,\"x\":1}"));
        Assert.True(observation.IsError);
        Assert.StartsWith("error: invalid arguments for echo: argument \"text\" must be a string, got 3; unexpected argument \"x\"",
            observation.Content);
    }

    [Fact]
    public void ArgumentsThatAreNotJsonAreAnError()
    {
        var observation = Box().Invoke(new ToolCall("call_0", "echo", "{text: hi"));
        Assert.True(observation.IsError);
        Assert.Contains("arguments are not valid JSON", observation.Content);
    }

    [Fact]
    public void ARepeatedArgumentIsAnErrorNamingIt()
    {
        var box = Box();
        var observation = box.Invoke(new ToolCall("call_0", "echo", "{\"text\":\"a\",\"text\":\"b\"}"));
        Assert.True(observation.IsError);
        Assert.Contains("arguments are not valid JSON", observation.Content);
        Assert.Contains("text", observation.Content);
        Assert.Equal(new ToolCallCounts(1, 1, 0), box.Counts);
    }

    [Fact]
    public void DoubleEncodedAndEmptyArgumentsAreAccepted()
    {
        Assert.Equal("hi", Box().Invoke(new ToolCall("c", "echo", "\"{\\\"text\\\":\\\"hi\\\"}\"")).Content);
        Assert.Equal("error: refused", Box().Invoke(new ToolCall("c", "fail", "")).Content);
    }

    [Fact]
    public void MalformedCallsBecomeEnvironmentErrors()
    {
        var box = Box();
        var action = HermesToolCallParser.Parse("<tool_call>{\"name\":\"echo\",\"arguments\":{\"text\":\"a\"}}</tool_call><tool_call>{bad</tool_call>").ToAgentAction();
        var observations = box.Dispatch(action);

        Assert.Equal(2, observations.Count);
        Assert.Equal("a", observations[0].Content);
        Assert.Equal(ObservationSource.Environment, observations[1].Source);
        Assert.True(observations[1].IsError);
        Assert.StartsWith("error: malformed tool call: tool call is not valid JSON", observations[1].Content);
        Assert.Equal(new ToolCallCounts(2, 1, 0), box.Counts);
        Assert.Equal(0.5, box.Counts.InvalidRate);
    }

    [Fact]
    public void HandlerErrorsAreCountedAsFailedNotInvalid()
    {
        var box = Box();
        Assert.True(box.Invoke(new ToolCall("c", "fail", "{}")).IsError);
        Assert.True(box.Refuse(new ToolCall("d", "echo", "{}"), "the episode is over").IsError);
        Assert.Equal(new ToolCallCounts(2, 0, 2), box.Counts);
        box.ResetCounts();
        Assert.Equal(new ToolCallCounts(0, 0, 0), box.Counts);
    }

    [Fact]
    public void AddingTheSameToolTwiceIsRejected() =>
        Assert.Throws<ArgumentException>(() => Box().Add(ToolDefinition.Create("echo", "again", "{}"), _ => ToolResult.Ok("")));

    [Theory]
    [InlineData("{\"text\":\"\\ud800\"}")]
    [InlineData("\"\\ud800\"")]
    public void InvalidTextInArgumentsIsAnErrorNotAnException(string arguments) =>
        Assert.True(Box().Invoke(new ToolCall("c", "echo", arguments)).IsError);
}
