using Whetstone.Agents.Environments;
using Whetstone.Agents.Environments.Maze;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Xunit.Abstractions;

namespace Whetstone.Agents.Tests.Environments;

public class MazeEnvironmentTests(ITestOutputHelper output)
{
    private static readonly MazeEnvironmentFactory Factory = new();

    [Fact]
    public async Task SameTaskGivesIdenticalObservations()
    {
        var task = Factory.Tasks(DataSplit.Test, 1, offset: 2)[0];
        Assert.Equal(await EpisodeLoop.ResetTextAsync(Factory, task), await EpisodeLoop.ResetTextAsync(Factory, task));
        var runs = await EpisodeLoop.RunExpertAsync(Factory, [task, task]);
        Assert.Equal(Transcript.Render(runs[0].Messages), Transcript.Render(runs[1].Messages));
    }

    [Fact]
    public async Task TrainAndTestMazesNeverOverlap()
    {
        var environment = new MazeEnvironment(new MazeOptions { Size = 3 });
        var train = new HashSet<string>();
        foreach (var task in Factory.Tasks(DataSplit.Train, 1000))
        {
            await environment.ResetAsync(task);
            train.Add(environment.Layout.Content);
        }
        foreach (var task in Factory.Tasks(DataSplit.Test, 300))
        {
            await environment.ResetAsync(task);
            Assert.DoesNotContain(environment.Layout.Content, train);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ExpertReachesTheGoalAndRandomMovesRarelyDo(int size)
    {
        var factory = new MazeEnvironmentFactory(new MazeOptions { Size = size });
        var tasks = factory.Tasks(DataSplit.Test, 200);
        var expert = await EpisodeLoop.RunExpertAsync(factory, tasks);
        var random = await EpisodeLoop.RunAsync(factory, t => new RandomActionPolicy(t.Seed), tasks);
        var expertRate = expert.Average(r => r.Success == true ? 1.0 : 0.0);
        var randomRate = random.Average(r => r.Success == true ? 1.0 : 0.0);
        output.WriteLine($"size {size}: expert {expertRate:P1} (efficiency {expert.Average(r => r.Metrics["path_efficiency"]):F2}), random {randomRate:P1}");

        Assert.True(expertRate >= 0.99, $"expert reached {expertRate:P1}");
        Assert.True(randomRate < expertRate - 0.3, $"random reached {randomRate:P1}");
        Assert.All(expert, r => Assert.Equal(0, r.Metrics["invalid_tool_calls"]));
    }

    [Fact]
    public async Task ExpertNoiseAddsWallBumpsAndDetoursThatTheExpertRecoversFrom()
    {
        var tasks = new MazeEnvironmentFactory(new MazeOptions { Size = 3 }).Tasks(DataSplit.Test, 100);
        var clean = await EpisodeLoop.RunExpertAsync(new MazeEnvironmentFactory(new MazeOptions { Size = 3 }), tasks);
        var noisy = await EpisodeLoop.RunExpertAsync(new MazeEnvironmentFactory(new MazeOptions { Size = 3, ExpertNoisePercent = 20 }), tasks);
        static int Bumps(EpisodeResult r) => r.Messages.Count(m => m.Role == ChatRole.Tool && m.Content!.StartsWith("Blocked", StringComparison.Ordinal));

        Assert.All(clean, r => Assert.Equal(0, Bumps(r)));
        Assert.True(noisy.Count(r => Bumps(r) > 0) >= 20, $"{noisy.Count(r => Bumps(r) > 0)} of 100 noisy episodes bump a wall");
        Assert.True(noisy.Sum(r => r.Turns) > clean.Sum(r => r.Turns), "random moves make detours");
        var recovered = noisy.Count(r => Bumps(r) > 0 && r.Success == true);
        Assert.True(recovered >= 0.8 * noisy.Count(r => Bumps(r) > 0), $"{recovered} episodes with a bump still reach the goal");
        // Seeded by the task: the same noisy episodes again.
        var again = await EpisodeLoop.RunExpertAsync(new MazeEnvironmentFactory(new MazeOptions { Size = 3, ExpertNoisePercent = 20 }), tasks);
        Assert.Equal(noisy.Select(r => r.Turns), again.Select(r => r.Turns));
    }

    [Fact]
    public async Task The_experts_random_moves_are_recorded_with_weight_zero_and_its_own_moves_without()
    {
        async Task<List<Trajectory>> Play(int noise)
        {
            var factory = new MazeEnvironmentFactory(new MazeOptions { Size = 3, ExpertNoisePercent = noise });
            var runner = new RolloutRunner(factory, PolicySource.Expert(factory), new RolloutOptions { MaxParallelism = 2 });
            var list = new List<Trajectory>();
            await foreach (var t in runner.RunAsync(factory.Tasks(DataSplit.Test, 30)))
                list.Add(t);
            return list;
        }
        static IEnumerable<ActionStep> Actions(IEnumerable<Trajectory> ts) => ts.SelectMany(t => t.Steps.OfType<ActionStep>());

        Assert.All(Actions(await Play(0)), a => Assert.Null(a.Weight));
        var noisy = Actions(await Play(20)).ToList();
        Assert.All(noisy, a => Assert.True(a.Weight is null or 0));
        double share = noisy.Count(a => a.Weight == 0) / (double)noisy.Count;
        Assert.InRange(share, 0.12, 0.28); // ~20% of the moves are drawn at random
    }

    [Fact]
    public async Task Progress_reward_credits_the_distance_closed_and_leaves_success_alone()
    {
        var goal = new MazeEnvironmentFactory(new MazeOptions { Size = 3 });
        var progress = new MazeEnvironmentFactory(new MazeOptions { Size = 3, ProgressReward = true });
        var tasks = goal.Tasks(DataSplit.Test, 60);
        var plain = await EpisodeLoop.RunAsync(goal, t => new RandomActionPolicy(t.Seed), tasks);
        var shaped = await EpisodeLoop.RunAsync(progress, t => new RandomActionPolicy(t.Seed), tasks);

        Assert.Equal(plain.Select(r => r.Success), shaped.Select(r => r.Success));
        for (int i = 0; i < tasks.Count; i++)
        {
            var p = shaped[i].Metrics["progress"];
            Assert.Equal(plain[i].Metrics["progress"], p);
            Assert.InRange(p, 0, 1);
            Assert.Equal(plain[i].Success == true ? 1 : 0, plain[i].Reward);
            Assert.Equal(shaped[i].Success == true ? 1 : 0.5 * p, shaped[i].Reward, 12);
        }
        Assert.Contains(shaped, r => r.Success != true && r.Reward > 0); // random walks get partway
        Assert.All(await EpisodeLoop.RunExpertAsync(progress, tasks), r => Assert.Equal(1, r.Reward));
    }

    [Fact]
    public async Task WallsBlockAndTheViewShowsTheNeighbourhood()
    {
        var environment = (MazeEnvironment)Factory.Create();
        var reset = await environment.ResetAsync(Factory.Tasks(DataSplit.Train, 1)[0]);
        var start = environment.Position;
        var view = reset.Observations[1].Content.Split('\n')[^3..];
        Assert.Equal('A', view[1][1]);
        Assert.Equal(environment.Layout.IsOpen(start.Step(MazeDirection.Up)) ? '.' : '#', view[0][1] == 'G' ? '.' : view[0][1]);

        var wall = Enum.GetValues<MazeDirection>().First(d => !environment.Layout.IsOpen(start.Step(d)));
        var name = wall.ToString().ToLowerInvariant();
        var step = await environment.StepAsync(AgentAction.Call(new ToolCall("c", "move", $"{{\"direction\":\"{name}\"}}")));
        Assert.StartsWith($"Blocked: there is a wall {name}.", Assert.Single(step.Observations).Content);
        Assert.Equal(start, environment.Position);
    }

    [Fact]
    public async Task BadMovesAreObservationsAndIdleTurnsSpendTheBudget()
    {
        var environment = new MazeEnvironment(new MazeOptions { Size = 2 });
        await environment.ResetAsync(Factory.Tasks(DataSplit.Train, 1)[0]);
        var bad = await environment.StepAsync(AgentAction.Call(new ToolCall("c", "move", "{\"direction\":\"north\"}")));
        Assert.Equal("error: invalid arguments for move: argument \"direction\" must be one of [\"up\",\"down\",\"left\",\"right\"], got \"north\"",
            Assert.Single(bad.Observations).Content);

        EnvironmentStep step;
        var turns = 1;
        do
        {
            step = await environment.StepAsync(AgentAction.Say("where am I?"));
            turns++;
        } while (!step.Done);
        Assert.Equal(environment.Budget, turns);
        Assert.False(step.Success);
        Assert.Equal(0, step.Reward);
    }
}
