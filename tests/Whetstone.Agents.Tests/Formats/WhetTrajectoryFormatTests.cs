using System.Text.Json.Nodes;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Formats;

public class WhetTrajectoryFormatTests
{
    [Fact]
    public void Full_trajectory_round_trips_through_one_line()
    {
        var t = SampleTrajectories.Full();
        var line = TrajectoryJsonl.ToLine(t);
        Assert.DoesNotContain('\n', line);
        TrajectoryAssert.Equal(t, TrajectoryJsonl.FromLine(line));
    }

    [Fact]
    public void Record_round_trips_to_the_same_json()
    {
        var record = WhetTrajectoryFormat.Instance.Write(SampleTrajectories.Full());
        var again = WhetTrajectoryFormat.Instance.Write(WhetTrajectoryFormat.Instance.Read(record, "x"));
        TrajectoryAssert.JsonEqual(record, again);
    }

    [Fact]
    public void Writes_the_documented_field_names()
    {
        var o = WhetTrajectoryFormat.Instance.Write(SampleTrajectories.Full());
        var action = o["steps"]![2]!.AsObject();
        Assert.Equal("action", (string?)action["kind"]);
        Assert.Equal("""{"expression": "12*7"}""", (string?)action["tool_calls"]![0]!["arguments"]);
        Assert.Equal(4, action["token_ids"]!.AsArray().Count);
        Assert.Equal("[-0.5,-1.25,-0.001,0]", action["logprobs"]!.ToJsonString());
        Assert.Equal(1, (int)action["weight"]!);
        Assert.Equal("truncated", (string?)o["status"]);
        Assert.Equal("NaN", (string?)o["metrics"]!["regret"]);
        Assert.Equal("tool", (string?)o["steps"]![3]!["source"]);
    }

    [Theory]
    [InlineData("""{"id":"a"}""", "steps", "is required")]
    [InlineData("""{"id":"a","steps":[{"kind":"thought"}]}""", "steps[0].kind", "\"thought\"")]
    [InlineData("""{"id":"a","steps":[{"kind":"observation","source":"user"}]}""", "steps[0].content", "is required")]
    [InlineData("""{"id":"a","steps":[{"kind":"action","tool_calls":[{"id":"c","name":5,"arguments":"{}"}]}]}""", "steps[0].tool_calls[0].name", "the number 5")]
    [InlineData("""{"id":"a","steps":[{"kind":"action","token_ids":[1,2],"logprobs":[0]}]}""", "steps[0].logprobs", "token_ids has 2")]
    [InlineData("""{"id":"a","steps":[],"status":"exploded"}""", "status", "exploded")]
    [InlineData("""{"id":"a","steps":[],"reward":"high"}""", "reward", "expected a number")]
    public void Malformed_records_name_the_field(string json, string field, string problem)
    {
        var e = Assert.Throws<FormatFieldException>(() => TrajectoryJsonl.FromLine(json));
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void Duplicate_keys_are_rejected_rather_than_silently_overwritten()
    {
        var e = Assert.Throws<FormatFieldException>(() => JsonlRecords.ParseLine("""{"id":"a","id":"b","steps":[]}"""));
        Assert.Equal("(line)", e.Field);
        Assert.Contains("same key", e.Problem);
    }

    [Fact]
    public void Missing_id_gets_the_default_and_defaults_fill_in()
    {
        var t = WhetTrajectoryFormat.Instance.Read(JsonNode.Parse("""{"steps":[]}""")!.AsObject(), "file-3");
        Assert.Equal("file-3", t.Id);
        Assert.Equal(EpisodeStatus.Completed, t.Status);
        Assert.Empty(t.Tools);
        Assert.Empty(t.Metadata);
    }
}
