using System.Text.Json.Nodes;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Formats;

public class AdpFormatTests
{
    private const string Sample = """
        {"id":"adp-1","content":[
          {"class_":"text_observation","source":"user","content":"List the files, then count them."},
          {"class_":"message_action","content":"I'll list them.","description":"start","reasoning_content":"ls first","reward":0.5},
          {"class_":"api_action","function":"ls","kwargs":{"path":"."},"description":"list cwd","tool_call_id":"t1"},
          {"class_":"text_observation","source":"environment","content":"a b c","name":"ls","tool_call_id":"t1","reward":0.0},
          {"class_":"code_action","language":"python","content":"print(3)","description":null},
          {"class_":"text_observation","source":"environment","content":"3"},
          {"class_":"message_action","content":"There are 3 files.","reward":1.0}
        ],
        "details":{"dataset":"demo","reward":1.0,"tools":[{"name":"ls","description":"Lists files.","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}]},
        "schema_version":"1.2.0"}
        """;

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Record_to_trajectory_to_record_is_identical()
    {
        var record = Parse(Sample);
        TrajectoryAssert.JsonEqual(record, AdpFormat.Instance.Write(AdpFormat.Instance.Read(record, "x")));
    }

    [Fact]
    public void Regroups_message_and_api_actions_into_one_turn()
    {
        var t = AdpFormat.Instance.Read(Parse(Sample), "x");
        Assert.Equal("adp-1", t.Id);
        Assert.Equal(6, t.Steps.Count);
        var turn = Assert.IsType<ActionStep>(t.Steps[1]);
        Assert.Equal(("I'll list them.", "ls first"), (turn.Action.Content, turn.Action.Reasoning));
        var call = Assert.Single(turn.Action.ToolCalls);
        Assert.Equal(("t1", "ls", """{"path":"."}"""), (call.Id, call.Name, call.ArgumentsJson));
        Assert.Equal(0.5, turn.Reward);
        var output = Assert.IsType<ObservationStep>(t.Steps[2]);
        Assert.Equal((ObservationSource.Tool, "t1", 0.0), (output.Observation.Source, output.Observation.ToolCallId, output.Reward));
        Assert.Equal(new CodeBlock("python", "print(3)"), Assert.IsType<ActionStep>(t.Steps[3]).Action.Code);
        Assert.Equal(ObservationSource.Environment, Assert.IsType<ObservationStep>(t.Steps[4]).Observation.Source);
        Assert.Equal(1.0, t.Steps[5].Reward);
        Assert.Equal(1.0, t.Reward);
        Assert.Equal("demo", (string?)t.Metadata["dataset"]);
        Assert.Equal("ls", Assert.Single(t.Tools).Name);
    }

    [Fact]
    public void Trajectory_to_record_to_trajectory_keeps_every_field()
    {
        var full = SampleTrajectories.Full();
        var record = AdpFormat.Instance.Write(full);
        TrajectoryAssert.Equal(full, AdpFormat.Instance.Read(record, "x"));
        var content = record["content"]!.AsArray();
        Assert.Equal(["text_observation", "text_observation", "message_action", "api_action", "api_action"],
            content.Take(5).Select(c => (string?)c!["class_"]));
        Assert.Equal("call_2", (string?)content[4]!["tool_call_id"]);
        Assert.Equal("environment", (string?)content[5]!["source"]);
    }

    [Fact]
    public void Older_adp_data_without_tool_call_ids_links_outputs_and_writes_back_unchanged()
    {
        var record = Parse("""
            {"id":"old","content":[
              {"class_":"text_observation","source":"user","content":"hi"},
              {"class_":"api_action","function":"f","kwargs":{}},
              {"class_":"text_observation","source":"environment","content":"ok"}],
             "details":{}}
            """);
        var t = AdpFormat.Instance.Read(record, "x");
        var call = Assert.Single(((ActionStep)t.Steps[1]).Action.ToolCalls);
        Assert.Equal(call.Id, ((ObservationStep)t.Steps[2]).Observation.ToolCallId);
        TrajectoryAssert.JsonEqual(record, AdpFormat.Instance.Write(t));
    }

    [Fact]
    public void Openai_to_adp_to_openai_is_identical()
    {
        var openai = JsonNode.Parse(OpenAiChatFormatTests.Sample)!.AsObject();
        var adp = AdpFormat.Instance.Write(OpenAiChatFormat.Instance.Read(openai, "x"));
        var back = OpenAiChatFormat.Instance.Write(AdpFormat.Instance.Read(adp, "y"));
        SemanticJson.Equal(openai, back);
    }

    [Fact]
    public void Openai_to_whet_to_openai_is_identical()
    {
        var openai = JsonNode.Parse(OpenAiChatFormatTests.Sample)!.AsObject();
        var whet = TrajectoryJsonl.ToLine(OpenAiChatFormat.Instance.Read(openai, "x"));
        SemanticJson.Equal(openai, OpenAiChatFormat.Instance.Write(TrajectoryJsonl.FromLine(whet)));
    }

    [Theory]
    [InlineData("""{"id":"a","content":[{"class_":"image_observation","content":"x"}]}""", "content[0].class_")]
    [InlineData("""{"id":"a","content":[{"class_":"message_action","content":"x","thoughts":"y"}]}""", "content[0].thoughts")]
    [InlineData("""{"id":"a","content":[{"class_":"api_action","function":"f"}]}""", "content[0].kwargs")]
    [InlineData("""{"id":"a","content":[{"class_":"text_observation","content":"x"}]}""", "content[0].source")]
    [InlineData("""{"id":"a","content":[],"details":{"step_extras":[{"step":3}]}}""", "details.step_extras[0].step")]
    public void Malformed_records_name_the_field(string json, string field)
    {
        var e = Assert.Throws<FormatFieldException>(() => AdpFormat.Instance.Read(Parse(json), "x"));
        Assert.Equal(field, e.Field);
    }
}
