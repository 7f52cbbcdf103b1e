using System.Text.Json.Nodes;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Formats;

public class OpenAiChatFormatTests
{
    internal const string Sample = """
        {"messages":[
          {"role":"system","content":"You are a calculator agent."},
          {"role":"user","content":"What is 12*7 and 3+4?","name":"alice"},
          {"role":"assistant","reasoning_content":"Two sums.","tool_calls":[
             {"id":"call_1","type":"function","function":{"name":"calculator","arguments":"{\"expression\": \"12*7\"}"}},
             {"id":"call_2","type":"function","function":{"name":"calculator","arguments":"{\"expression\":\"3+4\"}"}}],"weight":0},
          {"role":"tool","tool_call_id":"call_1","content":"84"},
          {"role":"tool","tool_call_id":"call_2","content":"7"},
          {"role":"assistant","content":"84 and 7.","weight":1},
          {"role":"user","content":[{"type":"text","text":"Thanks"},{"type":"text","text":"!"}]},
          {"role":"assistant","content":"You're welcome."}
        ],
        "tools":[{"type":"function","function":{"name":"calculator","description":"Evaluates arithmetic.","parameters":{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]}}}],
        "parallel_tool_calls":true}
        """;

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Record_to_trajectory_to_record_is_identical()
    {
        var record = Parse(Sample);
        var t = OpenAiChatFormat.Instance.Read(record, "x");
        SemanticJson.Equal(record, OpenAiChatFormat.Instance.Write(t));
    }

    [Fact]
    public void Reads_roles_calls_weights_and_reasoning_into_the_trajectory()
    {
        var t = OpenAiChatFormat.Instance.Read(Parse(Sample), "openai-1");
        Assert.Equal("openai-1", t.Id);
        Assert.Equal("calculator", Assert.Single(t.Tools).Name);
        Assert.Equal(8, t.Steps.Count);
        var call = Assert.IsType<ActionStep>(t.Steps[2]);
        Assert.Equal(0, call.Weight);
        Assert.Equal("Two sums.", call.Action.Reasoning);
        Assert.Null(call.Action.Content);
        Assert.Equal(["call_1", "call_2"], call.Action.ToolCalls.Select(c => c.Id));
        Assert.Equal("""{"expression": "12*7"}""", call.Action.ToolCalls[0].ArgumentsJson);
        var output = Assert.IsType<ObservationStep>(t.Steps[4]).Observation;
        Assert.Equal((ObservationSource.Tool, "call_2", "calculator", "7"), (output.Source, output.ToolCallId, output.Name, output.Content));
        Assert.Equal(1, Assert.IsType<ActionStep>(t.Steps[5]).Weight);
        Assert.Equal("Thanks!", Assert.IsType<ObservationStep>(t.Steps[6]).Observation.Content);
        Assert.Equal(true, (bool?)t.Metadata["openai"]!["parallel_tool_calls"]);
    }

    [Fact]
    public void Trajectory_to_record_to_trajectory_keeps_what_openai_can_hold()
    {
        var chat = SampleTrajectories.Chat();
        TrajectoryAssert.Equal(chat, OpenAiChatFormat.Instance.Read(OpenAiChatFormat.Instance.Write(chat), chat.Id));

        var full = SampleTrajectories.Full();
        var back = OpenAiChatFormat.Instance.Read(OpenAiChatFormat.Instance.Write(full), full.Id);
        Assert.Equal(full.Steps.Count, back.Steps.Count);
        TrajectoryAssert.ToolsEqual(full.Tools, back.Tools);
        for (var i = 0; i < full.Steps.Count; i++)
        {
            if (full.Steps[i] is ActionStep fa)
            {
                var ba = Assert.IsType<ActionStep>(back.Steps[i]);
                Assert.Equal(fa.Action.Content, ba.Action.Content);
                Assert.Equal(fa.Action.Reasoning, ba.Action.Reasoning);
                Assert.Equal(fa.Action.ToolCalls, ba.Action.ToolCalls);
                Assert.Equal(fa.Weight, ba.Weight);
            }
            else
            {
                var fo = ((ObservationStep)full.Steps[i]).Observation;
                var bo = Assert.IsType<ObservationStep>(back.Steps[i]).Observation;
                Assert.Equal(fo.Content, bo.Content);
                // OpenAI has no environment role: environment feedback comes back as the user speaking.
                Assert.Equal(fo.Source == ObservationSource.Environment ? ObservationSource.User : fo.Source, bo.Source);
                Assert.Equal(fo.ToolCallId, bo.ToolCallId);
            }
        }
    }

    [Fact]
    public void Writes_tool_calls_in_the_openai_shape()
    {
        var m = OpenAiChatFormat.Instance.Write(SampleTrajectories.Chat())["messages"]!;
        SemanticJson.Equal(JsonNode.Parse("""
            {"role":"assistant","tool_calls":[{"id":"call_a","type":"function","function":{"name":"calculator","arguments":"{\"expression\":\"12*7\"}"}}]}
            """), m[2]);
        SemanticJson.Equal(JsonNode.Parse("""{"role":"tool","tool_call_id":"call_a","content":"84"}"""), m[3]);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"robot","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"assistant","content":"x","weight":2}]}""", "messages[0].weight")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"arguments":"{}"}}]}]}""", "messages[0].tool_calls[0].function.name")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":{}}}]}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"messages":[{"role":"tool","content":"4"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"messages":[{"role":"assistant"}]}""", "messages[0].content")]
    [InlineData("""{"message":[]}""", "messages")]
    public void Malformed_records_name_the_field(string json, string field)
    {
        var e = Assert.Throws<FormatFieldException>(() => OpenAiChatFormat.Instance.Read(Parse(json), "x"));
        Assert.Equal(field, e.Field);
    }
}
