using Whetstone.Agents.Environments;
using Whetstone.Agents.Environments.Bandit;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;
using Xunit.Abstractions;

namespace Whetstone.Agents.Tests.Environments;

public class BanditEnvironmentTests(ITestOutputHelper output)
{
    private static readonly BanditEnvironmentFactory Factory = new();

    [Fact]
    public async Task SameTaskGivesIdenticalEpisodes()
    {
        var task = Factory.Tasks(DataSplit.Test, 1, offset: 3)[0];
        var runs = await EpisodeLoop.RunExpertAsync(Factory, [task, task]);
        Assert.Equal(Transcript.Render(runs[0].Messages), Transcript.Render(runs[1].Messages));
        Assert.Equal(runs[0].Reward, runs[1].Reward);
    }

    [Fact]
    public async Task TrainAndTestBanditsNeverOverlap()
    {
        var environment = new BanditEnvironment(Factory.Options);
        var train = new HashSet<string>();
        foreach (var task in Factory.Tasks(DataSplit.Train, 1000))
        {
            await environment.ResetAsync(task);
            train.Add(environment.Instance.Content);
        }
        Assert.Equal(1000, train.Count);
        foreach (var task in Factory.Tasks(DataSplit.Test, 300))
        {
            await environment.ResetAsync(task);
            Assert.DoesNotContain(environment.Instance.Content, train);
        }
    }

    [Fact]
    public async Task ExpertRegretIsWithinOneAndAHalfTimesUcb1AndFarBelowRandom()
    {
        var tasks = Factory.Tasks(DataSplit.Test, 200);
        var expert = await EpisodeLoop.RunExpertAsync(Factory, tasks);
        var ucb = new List<EpisodeResult>();
        foreach (var task in tasks)
        {
            var environment = Factory.Create();
            ucb.Add(await EpisodeLoop.RunAsync(environment, BanditEnvironmentFactory.CreateUcb1(environment), task));
        }
        var random = await EpisodeLoop.RunAsync(Factory, t => new RandomActionPolicy(t.Seed), tasks);

        double Regret(List<EpisodeResult> runs) => runs.Average(r => r.Metrics["regret"]);
        double SuccessRate(List<EpisodeResult> runs) => runs.Average(r => r.Success == true ? 1.0 : 0.0);
        output.WriteLine($"regret: expert {Regret(expert):F2}, ucb1 {Regret(ucb):F2}, random {Regret(random):F2}");
        output.WriteLine($"success: expert {SuccessRate(expert):P1}, ucb1 {SuccessRate(ucb):P1}, random {SuccessRate(random):P1}");
        output.WriteLine($"reward: expert {expert.Average(r => r.Reward):F2}, random {random.Average(r => r.Reward):F2}");

        Assert.True(Regret(expert) <= 1.5 * Regret(ucb), $"expert regret {Regret(expert)} vs UCB1 {Regret(ucb)}");
        Assert.True(Regret(random) > 1.5 * Regret(expert), $"random regret {Regret(random)} vs expert {Regret(expert)}");
        Assert.True(SuccessRate(expert) > SuccessRate(random) + 0.3);
        Assert.All(expert, r => Assert.Equal(30, r.Metrics["pulls"]));
        Assert.True(expert.Average(r => r.Metrics["arms_tried_fraction"]) > 0.7);
        output.WriteLine($"near-best: expert {expert.Average(r => r.Metrics["most_pulled_near_best"]):P1}, ucb1 {ucb.Average(r => r.Metrics["most_pulled_near_best"]):P1}, random {random.Average(r => r.Metrics["most_pulled_near_best"]):P1}");
    }

    [Fact]
    public async Task RewardIsTheTotalPayoffAndRegretFollowsTheMeans()
    {
        var environment = new BanditEnvironment(new BanditOptions { Arms = 3, Pulls = 4 });
        await environment.ResetAsync(new EnvironmentTask("t", DataSplit.Train, 11));
        var means = environment.Means;
        double reward = 0;
        EnvironmentStep step = null!;
        foreach (var arm in new[] { "1", "2", "2.0", "3" })
        {
            step = await environment.StepAsync(AgentAction.Call(new ToolCall("c", "pull", $"{{\"arm\":{arm}}}")));
            Assert.False(step.Observations[0].IsError);
            reward += step.Reward;
        }
        Assert.True(step.Done);
        Assert.Equal(environment.PayoffSums.Sum(), reward);
        Assert.Equal(4 * means.Max() - (means[0] + 2 * means[1] + means[2]), step.Metrics["regret"], 9);
        Assert.Equal(1.0, step.Metrics["arms_tried_fraction"]);
    }

    [Fact]
    public async Task BadPullsAreObservationsAndTurnsRunOut()
    {
        var environment = new BanditEnvironment(new BanditOptions { Arms = 3, Pulls = 2, SpareTurns = 1 });
        await environment.ResetAsync(Factory.Tasks(DataSplit.Train, 1)[0]);

        var outOfRange = await environment.StepAsync(AgentAction.Call(new ToolCall("c0", "pull", "{\"arm\":0}")));
        Assert.Equal("error: invalid arguments for pull: argument \"arm\" must be at least 1, got 0", Assert.Single(outOfRange.Observations).Content);

        var words = await environment.StepAsync(AgentAction.Call(new ToolCall("c1", "pull", "{\"arm\":\"two\"}")));
        Assert.Contains("must be an integer, got \"two\"", Assert.Single(words.Observations).Content);

        var chat = await environment.StepAsync(AgentAction.Say("arm 2"));
        Assert.True(chat.Done);
        Assert.Equal(0, chat.Metrics["pulls"]);
        Assert.Equal(2, chat.Metrics["invalid_tool_calls"]);
        Assert.False(chat.Success);
    }

    [Fact]
    public async Task SeveralPullsInOneTurnAreAllowedUntilThePullsRunOut()
    {
        var environment = new BanditEnvironment(new BanditOptions { Arms = 2, Pulls = 2 });
        await environment.ResetAsync(Factory.Tasks(DataSplit.Train, 1)[0]);
        var step = await environment.StepAsync(AgentAction.Call(
            new ToolCall("a", "pull", "{\"arm\":1}"), new ToolCall("b", "pull", "{\"arm\":2}"), new ToolCall("c", "pull", "{\"arm\":2}")));
        Assert.True(step.Done);
        Assert.Equal("error: no pulls left", step.Observations[2].Content);
        Assert.Equal(2, step.Metrics["pulls"]);
    }
}
