using System.Text.Json;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Evaluation;

public class TrajectoryEvaluatorTests
{
    private static Trajectory Episode(string task, int sample, bool success, double reward, EpisodeStatus status = EpisodeStatus.Completed,
        int turns = 1, Dictionary<string, double>? metrics = null) => new()
    {
        Id = $"{task}#{sample}",
        TaskId = task,
        Environment = "fake",
        Status = status,
        Success = status == EpisodeStatus.InfrastructureError ? null : success,
        Reward = status == EpisodeStatus.InfrastructureError ? null : reward,
        Steps = Enumerable.Range(0, turns).Select(_ => (TrajectoryStep)new ActionStep(AgentAction.Say("hi"))).ToList(),
        Metrics = metrics ?? [],
    };

    [Fact]
    public void CountsInvalidToolCallsAsDefined()
    {
        var t = new Trajectory
        {
            Id = "x",
            Steps =
            [
                new ObservationStep(Observation.User("task")),
                // turn 1: two well-formed calls and one malformed; call a is rejected
                new ActionStep(new AgentAction
                {
                    ToolCalls = [new ToolCall("a", "f", "{}"), new ToolCall("b", "f", "{}")],
                    MalformedToolCalls = [new MalformedToolCall("<tool_call>{oops", "bad JSON")],
                }),
                new ObservationStep(Observation.Tool("a", "f", "error: missing x", isError: true)),
                new ObservationStep(Observation.Tool("b", "f", "ok")),
                new ObservationStep(new Observation { Source = ObservationSource.Environment, Content = "bad JSON", IsError = true }),
                // turn 2: plain text is no tool call
                new ActionStep(AgentAction.Say("thinking")),
                new ObservationStep(new Observation { Source = ObservationSource.Environment, Content = "call a tool", IsError = true }),
                // turn 3 reuses id "a", which succeeds; a stray second error for the same id is counted once
                new ActionStep(AgentAction.Call(new ToolCall("a", "f", "{\"x\":1}"))),
                new ObservationStep(Observation.Tool("a", "f", "ok")),
                new ObservationStep(Observation.Tool("b", "f", "error: no such call", isError: true)),
            ],
        };

        Assert.Equal(new ToolCallTally(Attempted: 4, Invalid: 2), ToolCallTally.Of(t));
    }

    [Fact]
    public void LeavesInfrastructureErrorsOutOfEveryStatistic()
    {
        var trajectories = new[]
        {
            Episode("t1", 0, true, 1, turns: 2),
            Episode("t1", 1, false, 0, turns: 4),
            Episode("t2", 0, false, 0.5, EpisodeStatus.Truncated, turns: 6),
            Episode("t2", 1, false, 0, EpisodeStatus.InfrastructureError, turns: 1),
        };

        var report = TrajectoryEvaluator.Evaluate(trajectories, policy: "p", split: "test");

        Assert.Equal(3, report.Episodes);
        Assert.Equal(2, report.Tasks);
        Assert.Equal(1, report.InfrastructureErrors);
        Assert.Equal(1, report.Truncated);
        Assert.Equal(1, report.Successes);
        Assert.Equal(1.0 / 3, report.SuccessRate, 14);
        Assert.Equal(WilsonScoreInterval.Compute(1, 3), report.SuccessInterval);
        Assert.Equal(0.5, report.Reward.Mean, 14);
        Assert.Equal(4.0, report.MeanTurns, 14);
        Assert.Equal("fake", report.Environment);
    }

    [Fact]
    public void ReportsPassAtKOverTasksWhenThereAreSeveralSamples()
    {
        // t1: 4 samples, 1 success. t2: 4 samples, 0 successes. t3: 4 samples, 4 successes.
        var trajectories = new List<Trajectory>();
        for (int s = 0; s < 4; s++)
        {
            trajectories.Add(Episode("t1", s, s == 0, s == 0 ? 1 : 0));
            trajectories.Add(Episode("t2", s, false, 0));
            trajectories.Add(Episode("t3", s, true, 1));
        }

        var report = TrajectoryEvaluator.Evaluate(trajectories);

        Assert.Equal([1, 2, 4], report.PassAtK.Keys.Order());
        Assert.Equal((0.25 + 0 + 1) / 3, report.PassAtK[1], 14);
        Assert.Equal((PassAtK.Estimate(4, 1, 2) + 0 + 1) / 3, report.PassAtK[2], 14);
        Assert.Equal((1 + 0 + 1) / 3.0, report.PassAtK[4], 14);
        Assert.Empty(TrajectoryEvaluator.Evaluate([Episode("t", 0, true, 1)]).PassAtK);
    }

    [Fact]
    public void AveragesEachEnvironmentMetricOverTheEpisodesThatReportIt()
    {
        var report = TrajectoryEvaluator.Evaluate(
        [
            Episode("a", 0, true, 1, metrics: new() { ["regret"] = 2, ["pulls"] = 10 }),
            Episode("b", 0, true, 1, metrics: new() { ["regret"] = 4 }),
            Episode("c", 0, true, 1, EpisodeStatus.InfrastructureError, metrics: new() { ["regret"] = 100 }),
        ]);

        Assert.Equal(3.0, report.Metrics["regret"], 14);
        Assert.Equal(10.0, report.Metrics["pulls"], 14);
    }

    [Fact]
    public void RendersAsOneJsonObjectAndAsATable()
    {
        var report = TrajectoryEvaluator.Evaluate(
        [
            Episode("a", 0, true, 1, metrics: new() { ["regret"] = 2 }),
            Episode("a", 1, false, 0, metrics: new() { ["regret"] = 3 }),
            Episode("b", 0, false, 0, EpisodeStatus.InfrastructureError),
        ], policy: "random", split: "test");

        using var json = JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;
        Assert.Equal(0.5, root.GetProperty("success_rate").GetDouble());
        Assert.Equal(report.SuccessInterval.Low, root.GetProperty("ci_low").GetDouble());
        Assert.Equal(report.SuccessInterval.High, root.GetProperty("ci_high").GetDouble());
        Assert.Equal(0.5, root.GetProperty("mean_reward").GetDouble());
        Assert.Equal(2, root.GetProperty("episodes").GetInt32());
        Assert.Equal(1, root.GetProperty("infra_errors").GetInt32());
        Assert.Equal(0.0, root.GetProperty("invalid_tool_call_rate").GetDouble());
        Assert.Equal(1.0, root.GetProperty("mean_turns").GetDouble());
        Assert.Equal(0.5, root.GetProperty("pass_at_k").GetProperty("1").GetDouble());
        Assert.Equal(1.0, root.GetProperty("pass_at_k").GetProperty("2").GetDouble());
        Assert.Equal(2.5, root.GetProperty("metrics").GetProperty("regret").GetDouble());
        Assert.Equal("random", root.GetProperty("policy").GetString());

        var table = report.ToTable();
        Assert.Contains("policy=random", table);
        Assert.Contains("success rate", table);
        Assert.Contains("0.500  [", table);
        Assert.Contains("pass@2", table);
        Assert.Contains("env: regret", table);
        Assert.Contains("1 (excluded)", table);
    }
}
