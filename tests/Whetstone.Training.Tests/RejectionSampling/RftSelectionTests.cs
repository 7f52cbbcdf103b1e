using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;
using Whetstone.Training.RejectionSampling;

namespace Whetstone.Training.Tests.RejectionSampling;

public sealed class RftSelectionTests
{
    private static Trajectory Episode(string id, string task, bool? success, EpisodeStatus status = EpisodeStatus.Completed,
        string callId = "call_0", string args = "{\"expression\": \"2+3\"}", string answer = "5") => new()
    {
        Id = id, TaskId = task, Success = success, Status = status, Reward = success is null ? null : success.Value ? 1 : 0,
        Steps =
        [
            new ActionStep(AgentAction.Call(new ToolCall(callId, "calculator", args))),
            new ObservationStep(new Observation { Source = ObservationSource.Tool, Content = "5", ToolCallId = callId }),
            new ActionStep(AgentAction.Say(answer)),
        ],
    };

    [Fact]
    public void Keeps_only_scored_successes()
    {
        var sampled = new[]
        {
            Episode("a#0", "a", true),
            Episode("a#1", "a", false, answer: "6"),
            Episode("a#2", "a", null, EpisodeStatus.InfrastructureError, answer: "7"),
            Episode("a#3", "a", true, EpisodeStatus.InfrastructureError, answer: "8"),   // never trust an infra-error episode
            Episode("b#0", "b", true, EpisodeStatus.Truncated, answer: "9"),
        };
        var kept = RftSelection.Select(sampled);
        Assert.Equal(["a#0", "b#0"], kept.Select(t => t.Id));
    }

    [Fact]
    public void Deduplicates_the_same_actions_on_the_same_task_whatever_the_call_ids_and_json_spacing()
    {
        var sampled = new[]
        {
            Episode("a#0", "a", true),
            Episode("a#1", "a", true, callId: "call_9"),                          // other tool-call id: same actions
            Episode("a#2", "a", true, args: "{ \"expression\" :\"2+3\" }"),     // other spacing: same arguments
            Episode("a#3", "a", true, args: "{\"expression\": \"3+2\"}"),       // other arguments: kept
            Episode("a#4", "a", true, answer: "five"),                          // other final message: kept
            Episode("b#0", "b", true),                                          // same actions, other task: kept
        };
        var kept = RftSelection.Select(sampled);
        Assert.Equal(["a#0", "a#3", "a#4", "b#0"], kept.Select(t => t.Id));
        Assert.Equal(RftSelection.DeduplicationKey(sampled[0]), RftSelection.DeduplicationKey(sampled[2]));
        Assert.NotEqual(RftSelection.DeduplicationKey(sampled[0]), RftSelection.DeduplicationKey(sampled[5]));
    }

    [Fact]
    public void The_seen_set_deduplicates_across_rounds_and_the_cap_limits_each_task()
    {
        var seen = new HashSet<string>();
        var first = RftSelection.Select([Episode("a#0", "a", true)], seen);
        var second = RftSelection.Select([Episode("a#0", "a", true, callId: "x"), Episode("a#1", "a", true, answer: "five")], seen);
        Assert.Single(first);
        Assert.Equal(["a#1"], second.Select(t => t.Id));

        var capped = RftSelection.Select(
            [Episode("a#0", "a", true), Episode("a#1", "a", true, answer: "x"), Episode("a#2", "a", true, answer: "y"), Episode("b#0", "b", true)],
            maxPerTask: 2);
        Assert.Equal(["a#0", "a#1", "b#0"], capped.Select(t => t.Id));
    }
}
