using System.Text.Json.Nodes;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Formats;

public class ShareGptFormatTests
{
    private const string Sample = """
        {"conversations":[
          {"from":"human","value":"What is 12*7? Also 3+4."},
          {"from":"function_call","value":"{\"name\": \"calculator\", \"arguments\": {\"expression\": \"12*7\"}}"},
          {"from":"observation","value":"84"},
          {"from":"function_call","value":"<think>\nNow the second.\n</think>\n\n[{\"name\":\"calculator\",\"arguments\":{\"expression\":\"3+4\"}},{\"name\":\"calculator\",\"arguments\":{\"expression\":\"1+1\"}}]","text":"Two more."},
          {"from":"observation","value":"7\n</tool_response>\n<tool_response>\n2"},
          {"from":"gpt","value":"<think>\nDone.\n</think>\n\n84, 7 and 2.","loss":true}
        ],
        "system":"You are a calculator agent.",
        "tools":"[{\"name\":\"calculator\",\"description\":\"Evaluates arithmetic.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"expression\":{\"type\":\"string\"}}}}]",
        "source":"glaive"}
        """;

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Record_to_trajectory_to_record_is_identical()
    {
        var record = Parse(Sample);
        SemanticJson.Equal(record, ShareGptFormat.Instance.Write(ShareGptFormat.Instance.Read(record, "x")));
    }

    [Fact]
    public void A_system_turn_stays_a_turn()
    {
        var record = Parse("""{"conversations":[{"from":"system","value":"Be terse."},{"from":"human","value":"hi"},{"from":"gpt","value":"hi"}]}""");
        var t = ShareGptFormat.Instance.Read(record, "x");
        Assert.Equal(ObservationSource.System, ((ObservationStep)t.Steps[0]).Observation.Source);
        SemanticJson.Equal(record, ShareGptFormat.Instance.Write(t));
    }

    [Fact]
    public void Parallel_calls_share_one_function_call_turn_and_one_observation_turn()
    {
        var t = ShareGptFormat.Instance.Read(Parse(Sample), "x");
        Assert.Equal(ObservationSource.System, Assert.IsType<ObservationStep>(t.Steps[0]).Observation.Source);
        var parallel = Assert.IsType<ActionStep>(t.Steps[4]).Action;
        Assert.Equal("Two more.", parallel.Content);
        Assert.Equal("Now the second.", parallel.Reasoning);
        Assert.Equal(2, parallel.ToolCalls.Count);
        Assert.Equal("""{"expression":"3+4"}""", parallel.ToolCalls[0].ArgumentsJson);
        var first = Assert.IsType<ObservationStep>(t.Steps[5]).Observation;
        var second = Assert.IsType<ObservationStep>(t.Steps[6]).Observation;
        Assert.Equal(("7", parallel.ToolCalls[0].Id), (first.Content, first.ToolCallId));
        Assert.Equal(("2", parallel.ToolCalls[1].Id, "calculator"), (second.Content, second.ToolCallId, second.Name));
        var final = Assert.IsType<ActionStep>(t.Steps[7]).Action;
        Assert.Equal(("Done.", "84, 7 and 2."), (final.Reasoning, final.Content));
        Assert.Equal("calculator", Assert.Single(t.Tools).Name);
    }

    [Fact]
    public void Trajectory_to_record_to_trajectory_keeps_everything_but_call_ids()
    {
        var chat = SampleTrajectories.Chat();
        var record = ShareGptFormat.Instance.Write(chat);
        Assert.Equal("Be brief.", (string?)record["system"]);
        Assert.Equal("function_call", (string?)record["conversations"]![1]!["from"]);
        TrajectoryAssert.Equal(chat, ShareGptFormat.Instance.Read(record, chat.Id), compareToolCallIds: false);
    }

    [Fact]
    public void Openai_parallel_calls_convert_to_sharegpt_and_back()
    {
        var openai = JsonNode.Parse(OpenAiChatFormatTests.Sample)!.AsObject();
        var t = OpenAiChatFormat.Instance.Read(openai, "x");
        var sharegpt = ShareGptFormat.Instance.Write(t);
        var turns = sharegpt["conversations"]!.AsArray();
        Assert.Equal("observation", (string?)turns[2]!["from"]);
        Assert.Equal("84" + ShareGptFormat.ParallelOutputSeparator + "7", (string?)turns[2]!["value"]);
        var back = ShareGptFormat.Instance.Read(sharegpt, "x");
        var calls = ((ActionStep)back.Steps[2]).Action.ToolCalls;
        Assert.Equal(["calculator", "calculator"], calls.Select(c => c.Name));
        Assert.Equal(calls[1].Id, ((ObservationStep)back.Steps[4]).Observation.ToolCallId);
    }

    [Theory]
    [InlineData("""{"conversations":[{"from":"bot","value":"x"}]}""", "conversations[0].from")]
    [InlineData("""{"conversations":[{"from":"gpt"}]}""", "conversations[0].value")]
    [InlineData("""{"conversations":[{"from":"function_call","value":"not json"}]}""", "conversations[0].value")]
    [InlineData("""{"conversations":[{"from":"function_call","value":"[{\"arguments\":{}}]"}]}""", "conversations[0].value[0].name")]
    [InlineData("""{"conversations":[],"tools":"{oops"}""", "tools")]
    public void Malformed_records_name_the_field(string json, string field)
    {
        var e = Assert.Throws<FormatFieldException>(() => ShareGptFormat.Instance.Read(Parse(json), "x"));
        Assert.Equal(field, e.Field);
    }
}
