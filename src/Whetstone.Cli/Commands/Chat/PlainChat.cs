using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;

namespace Whetstone.Cli.Commands.Chat;

/// <summary>A read-eval-print loop: each input line is a user turn; an empty line or end of input ends the chat.</summary>
internal static class PlainChat
{
    public static async Task RunAsync(IPolicy policy, ChatSettings settings, string? system, ChatConsole console,
        TextReader input, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(system))
            messages.Add(ChatMessage.System(system));
        console.Line("Type a message (an empty line ends the chat).");
        for (int turn = 0; ; turn++)
        {
            console.Prompt("you: ");
            var line = await input.ReadLineAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(line))
                return;
            messages.Add(ChatMessage.User(line));
            var response = await ChatTurn.TryRespondAsync(policy, messages, new PolicyOptions { Sampling = settings.ForTurn(turn) }, console, cancellationToken);
            if (response is null)
                return;
            console.Action(response.Action);
            messages.Add(response.Action.ToMessage());
        }
    }
}
