using Whetstone.Agents.Environments;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// The reference for <c>whet bench rollout</c>: the same episodes played by the expert in a bare sequential loop with
/// no runner, no trajectory recording and no scheduling. The runner's steps/s divided by this one is its overhead.
/// </summary>
internal static class BenchRolloutDirectLoop
{
    /// <summary>Plays every task once with the expert and returns the number of environment steps taken.</summary>
    public static async Task<long> RunAsync(IEnvironmentFactory factory, IReadOnlyList<EnvironmentTask> tasks, int maxTurns)
    {
        long steps = 0;
        foreach (var task in tasks)
        {
            var environment = factory.Create();
            var expert = factory.CreateExpert(environment);
            var reset = await environment.ResetAsync(task);
            var messages = reset.Observations.Select(o => o.ToMessage()).ToList();
            var options = new PolicyOptions { Tools = reset.Tools };
            for (int turn = 0; turn < maxTurns; turn++)
            {
                var response = await expert.RespondAsync(messages, options);
                messages.Add(response.Action.ToMessage());
                var step = await environment.StepAsync(response.Action);
                steps++;
                foreach (var observation in step.Observations)
                    messages.Add(observation.ToMessage());
                if (step.Done) break;
            }
        }
        return steps;
    }
}
