using Whetstone.Agents.Environments;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Environments;

/// <summary>What one test episode produced.</summary>
internal sealed record EpisodeResult(
    double Reward, bool? Success, int Turns, IReadOnlyList<ChatMessage> Messages, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// A minimal episode loop for the environment tests (the real rollout runner lives elsewhere): reset, then ask the
/// policy and step until the environment says done.
/// </summary>
internal static class EpisodeLoop
{
    public static async Task<EpisodeResult> RunAsync(IEnvironment environment, IPolicy policy, EnvironmentTask task, int maxTurns = 500)
    {
        var reset = await environment.ResetAsync(task);
        var messages = reset.Observations.Select(o => o.ToMessage()).ToList();
        var options = new PolicyOptions { Tools = reset.Tools };
        double reward = 0;
        for (var turn = 1; turn <= maxTurns; turn++)
        {
            var response = await policy.RespondAsync(messages, options);
            messages.Add(response.Action.ToMessage());
            var step = await environment.StepAsync(response.Action);
            messages.AddRange(step.Observations.Select(o => o.ToMessage()));
            reward += step.Reward;
            if (step.Done)
                return new EpisodeResult(reward, step.Success, turn, messages, step.Metrics);
        }
        throw new InvalidOperationException($"Episode {task.Id} did not end within {maxTurns} turns.");
    }

    /// <summary>Runs the factory's expert on each task, each with a fresh instance.</summary>
    public static async Task<List<EpisodeResult>> RunExpertAsync(IEnvironmentFactory factory, IEnumerable<EnvironmentTask> tasks)
    {
        var results = new List<EpisodeResult>();
        foreach (var task in tasks)
        {
            var environment = factory.Create();
            results.Add(await RunAsync(environment, factory.CreateExpert(environment), task));
        }
        return results;
    }

    /// <summary>Runs a policy that does not need the instance on each task.</summary>
    public static async Task<List<EpisodeResult>> RunAsync(IEnvironmentFactory factory, Func<EnvironmentTask, IPolicy> policy, IEnumerable<EnvironmentTask> tasks)
    {
        var results = new List<EpisodeResult>();
        foreach (var task in tasks)
            results.Add(await RunAsync(factory.Create(), policy(task), task));
        return results;
    }

    /// <summary>The observations of the reset, as text, for reproducibility checks.</summary>
    public static async Task<string> ResetTextAsync(IEnvironmentFactory factory, EnvironmentTask task)
    {
        var reset = await factory.Create().ResetAsync(task);
        return string.Join("\n---\n", reset.Observations.Select(o => o.Content));
    }
}
