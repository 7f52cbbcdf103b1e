using Whetstone.Agents.Environments;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Rollouts;

namespace Whetstone.Agents.Tests.Evaluation;

/// <summary>End to end on the built-in environments: runner → evaluator, the scripted expert against the random baseline.</summary>
public class ExpertVersusRandomTests
{
    private static async Task<EvaluationReport> Evaluate(IEnvironmentFactory factory, PolicySource policies, int tasks)
    {
        var runner = new RolloutRunner(factory, policies, new RolloutOptions { MaxParallelism = 2, Seed = 1 });
        return TrajectoryEvaluator.Evaluate(await runner.RunAllAsync(factory.Tasks(DataSplit.Test, tasks)));
    }

    [Fact]
    public async Task OnCalcTheExpertFarOutscoresTheRandomBaseline()
    {
        var factory = EnvironmentCatalog.Create("calc");
        var expert = await Evaluate(factory, PolicySource.Expert(factory), 100);
        var random = await Evaluate(factory, PolicySource.Random(), 100);

        Assert.Equal(0, expert.InfrastructureErrors);
        Assert.Equal(0, random.InfrastructureErrors);
        Assert.True(expert.SuccessRate >= 0.95, $"expert success {expert.SuccessRate}");
        Assert.True(random.SuccessRate <= 0.10, $"random success {random.SuccessRate}");
        // Not just different: the 95% intervals do not overlap.
        Assert.True(expert.SuccessInterval.Low > random.SuccessInterval.High);
        Assert.Equal(0.0, expert.InvalidToolCallRate);
        Assert.True(random.InvalidToolCallRate > 0.1, $"random invalid-call rate {random.InvalidToolCallRate}");
    }

    [Theory]
    [InlineData("tictactoe")]
    [InlineData("maze")]
    [InlineData("bandit")]
    public async Task OnEveryOtherEnvironmentTheExpertBeatsRandom(string name)
    {
        var factory = EnvironmentCatalog.Create(name);
        var expert = await Evaluate(factory, PolicySource.Expert(factory), 60);
        var random = await Evaluate(factory, PolicySource.Random(), 60);

        Assert.True(expert.SuccessRate > random.SuccessRate + 0.2, $"{name}: expert {expert.SuccessRate}, random {random.SuccessRate}");
        Assert.True(expert.Reward.Mean > random.Reward.Mean, $"{name}: expert reward {expert.Reward.Mean}, random {random.Reward.Mean}");
    }
}
