using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.Data;

/// <summary>
/// One message of a conversation to train on, with what training needs beside the text: the loss weight of an
/// assistant turn and, for turns a local policy generated, the exact ids and their log-probabilities.
/// </summary>
/// <param name="Message">The message.</param>
public sealed record ConversationMessage(ChatMessage Message)
{
    /// <summary>Loss weight of an assistant turn (OpenAI fine-tuning <c>weight</c>): 0 keeps it as context only. Ignored for other roles.</summary>
    public float Weight { get; init; } = 1f;

    /// <summary>The ids the policy generated for this assistant turn (token-in/token-out), or null.</summary>
    public IReadOnlyList<int>? TokenIds { get; init; }

    /// <summary>Log-probability of each of <see cref="TokenIds"/> under the sampling policy, or null.</summary>
    public IReadOnlyList<float>? LogProbs { get; init; }

    /// <summary>Index of the trajectory step this message came from (for error messages), or null.</summary>
    public int? StepIndex { get; init; }

    /// <summary>
    /// The steps of a trajectory as messages: actions become assistant messages carrying their
    /// <see cref="ActionStep.Weight"/> (null → 1), token ids and log-probs; observations become system, user or tool
    /// messages (environment feedback speaks as the user, as in <see cref="Observation.ToMessage"/>).
    /// </summary>
    public static IReadOnlyList<ConversationMessage> FromTrajectory(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var messages = new List<ConversationMessage>(trajectory.Steps.Count);
        for (int s = 0; s < trajectory.Steps.Count; s++)
        {
            messages.Add(trajectory.Steps[s] switch
            {
                ActionStep a => new ConversationMessage(a.Action.ToMessage())
                {
                    Weight = a.Weight ?? 1,
                    TokenIds = a.TokenIds,
                    LogProbs = a.LogProbs,
                    StepIndex = s,
                },
                ObservationStep o => new ConversationMessage(o.Observation.ToMessage()) { StepIndex = s },
                var other => throw new ArgumentException($"trajectory '{trajectory.Id}' step {s}: unknown step type {other.GetType().Name}", nameof(trajectory)),
            });
        }
        return messages;
    }

    /// <summary>Plain messages, every assistant turn with weight 1.</summary>
    public static IReadOnlyList<ConversationMessage> FromMessages(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Select(m => new ConversationMessage(m)).ToList();
    }
}
