using Whetstone.Agents.Messages;

namespace Whetstone.Agents.Policies;

/// <summary>
/// Something that acts in a conversation: a scripted expert, a random baseline, a remote model over the OpenAI
/// API, or a local transformer. Shaped like Microsoft.Extensions.AI's <c>IChatClient</c>: messages in, one assistant
/// turn out. Recording, logging and retrying are decorators around a policy, not subclasses.
/// </summary>
public interface IPolicy
{
    /// <summary>Produces the next assistant turn for <paramref name="messages"/>.</summary>
    /// <param name="messages">The conversation so far, oldest first.</param>
    /// <param name="options">Tools on offer and sampling settings; null for defaults.</param>
    /// <param name="cancellationToken">Cancels the call (and time-outs use it).</param>
    Task<PolicyResponse> RespondAsync(
        IReadOnlyList<ChatMessage> messages,
        PolicyOptions? options = null,
        CancellationToken cancellationToken = default);
}
