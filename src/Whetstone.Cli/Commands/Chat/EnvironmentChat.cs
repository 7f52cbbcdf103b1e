using Whetstone.Agents.Environments;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;

namespace Whetstone.Cli.Commands.Chat;

/// <summary>
/// Plays the environment's test tasks one at a time: the model acts, the environment answers, and both are printed as
/// they happen. Enter starts the next task; "q" or end of input stops.
/// </summary>
internal static class EnvironmentChat
{
    private const int MaxTurns = 64;

    public static async Task RunAsync(IEnvironmentFactory factory, IPolicy policy, ChatSettings settings, ChatConsole console,
        TextReader input, CancellationToken cancellationToken)
    {
        for (int index = 0; ; index++)
        {
            var task = factory.Tasks(DataSplit.Test, 1, index)[0];
            console.Line($"== {task.Id}");
            var environment = factory.Create();
            var reset = await environment.ResetAsync(task, cancellationToken);
            var messages = new List<ChatMessage>();
            foreach (var observation in reset.Observations)
            {
                console.Observation(observation);
                messages.Add(observation.ToMessage());
            }
            double reward = 0;
            bool done = false;
            for (int turn = 0; turn < MaxTurns && !done; turn++)
            {
                var options = new PolicyOptions { Tools = reset.Tools, Sampling = settings.ForTurn(turn) };
                var response = await ChatTurn.TryRespondAsync(policy, messages, options, console, cancellationToken);
                if (response is null)
                    break;
                console.Action(response.Action);
                messages.Add(response.Action.ToMessage());
                var step = await environment.StepAsync(response.Action, cancellationToken);
                foreach (var observation in step.Observations)
                {
                    console.Observation(observation);
                    messages.Add(observation.ToMessage());
                }
                reward += step.Reward;
                done = step.Done;
                if (done)
                    console.Line($"== reward {reward:0.###}, success {step.Success?.ToString() ?? "n/a"}");
            }
            if (!done)
                console.Line($"== stopped without the episode ending; reward so far {reward:0.###}");
            console.Prompt("Enter for the next task, q to quit: ");
            var line = await input.ReadLineAsync(cancellationToken);
            if (line is null || line.Trim().Equals("q", StringComparison.OrdinalIgnoreCase))
                return;
        }
    }
}
