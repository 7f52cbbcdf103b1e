using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;

namespace Whetstone.Cli.Commands.Chat;

/// <summary>One assistant turn of a chat, where a conversation the model cannot continue ends the chat instead of the program.</summary>
internal static class ChatTurn
{
    /// <summary>
    /// The policy's reply, or null after printing why there is none: a local model refuses a prompt that fills its
    /// context window (<see cref="ContextWindowFullException"/>) or that it cannot encode (<see cref="ArgumentException"/>),
    /// which in a chat is the end of that conversation.
    /// </summary>
    public static async Task<PolicyResponse?> TryRespondAsync(IPolicy policy, IReadOnlyList<ChatMessage> messages, PolicyOptions options,
        ChatConsole console, CancellationToken cancellationToken)
    {
        try
        {
            return await policy.RespondAsync(messages, options, cancellationToken);
        }
        catch (ContextWindowFullException e)
        {
            console.Line($"== the model cannot continue this conversation: {e.Message}");
            return null;
        }
        catch (ArgumentException e)
        {
            var reason = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "");
            console.Line($"== the model cannot continue this conversation: {reason}");
            return null;
        }
    }
}
