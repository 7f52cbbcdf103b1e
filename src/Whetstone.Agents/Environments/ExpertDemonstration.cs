using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Environments;

/// <summary>One expert episode as a conversation, with how it ended.</summary>
/// <param name="Messages">System, task, and every assistant turn with the observations that answered it.</param>
/// <param name="Reward">The summed reward.</param>
/// <param name="Success">Whether the task was solved.</param>
/// <param name="Metrics">The environment's metrics at the end.</param>
public sealed record ExpertDemonstration(
    IReadOnlyList<ChatMessage> Messages, double Reward, bool? Success, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>
    /// Plays the factory's scripted expert on <paramref name="task"/> in a fresh instance. For showing what an
    /// environment looks like (<c>whet envs --show</c>, the docs); recorded rollouts with trajectories, retries and
    /// time-outs are the rollout runner's job.
    /// </summary>
    /// <exception cref="InvalidOperationException">The episode did not end within <paramref name="maxTurns"/>.</exception>
    public static async Task<ExpertDemonstration> RunAsync(IEnvironmentFactory factory, EnvironmentTask task,
        int maxTurns = 1000, CancellationToken cancellationToken = default)
    {
        var environment = factory.Create();
        var expert = factory.CreateExpert(environment);
        var reset = await environment.ResetAsync(task, cancellationToken);
        var messages = reset.Observations.Select(o => o.ToMessage()).ToList();
        var options = new PolicyOptions { Tools = reset.Tools };
        double reward = 0;
        for (var turn = 0; turn < maxTurns; turn++)
        {
            var response = await expert.RespondAsync(messages, options, cancellationToken);
            messages.Add(response.Action.ToMessage());
            var step = await environment.StepAsync(response.Action, cancellationToken);
            messages.AddRange(step.Observations.Select(o => o.ToMessage()));
            reward += step.Reward;
            if (step.Done)
                return new ExpertDemonstration(messages, reward, step.Success, step.Metrics);
        }
        throw new InvalidOperationException($"The {factory.Name} expert did not finish task {task.Id} within {maxTurns} turns.");
    }

    /// <summary>The conversation as plain text, one line per message or tool call (tool calls in Hermes JSON).</summary>
    public string Render()
    {
        var lines = new List<string>();
        foreach (var message in Messages)
        {
            var role = message.Role.ToString().ToLowerInvariant();
            if (message.Content is not null)
                lines.Add($"{role}: {message.Content.Replace("\n", "\n  ")}");
            foreach (var call in message.ToolCalls)
                lines.Add($"{role}: {Tools.HermesToolCallFormatter.FormatCall(call)}");
        }
        return string.Join("\n", lines);
    }
}
