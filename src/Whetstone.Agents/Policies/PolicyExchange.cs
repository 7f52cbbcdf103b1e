using Whetstone.Agents.Messages;

namespace Whetstone.Agents.Policies;

/// <summary>One call of a policy as <see cref="RecordingPolicy"/> saw it.</summary>
/// <param name="Sequence">1-based order in which the call started.</param>
/// <param name="StartedAt">When the call started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Messages">The conversation passed in (a snapshot).</param>
/// <param name="Options">The options passed in, or null.</param>
/// <param name="Response">What the policy returned; null when it failed.</param>
/// <param name="Error">The failure, when it failed.</param>
public sealed record PolicyExchange(
    int Sequence,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    IReadOnlyList<ChatMessage> Messages,
    PolicyOptions? Options,
    PolicyResponse? Response,
    Exception? Error);
