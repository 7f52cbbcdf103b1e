using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.Data;

/// <summary>
/// Token-in/token-out sequences for RL: from trajectories a local policy produced (<see cref="ActionStep.TokenIds"/>
/// and <see cref="ActionStep.LogProbs"/>), or incrementally during the rollout itself (<see cref="Start"/>). The loss
/// mask is the turn weight on generated ids and 0 elsewhere; the old log-probs are aligned to the sequence for the
/// importance ratio. When the generated ids are the tokenizer's own encoding of the turn, the result equals
/// <see cref="SftTokenizer"/>'s (with <see cref="TemplateHistoryPolicy.KeepAsGenerated"/>, or any policy when the
/// template renders incrementally).
/// </summary>
public sealed class RolloutSequenceBuilder
{
    private readonly ChatFormatter _chat;

    /// <summary>Creates a builder; sequences keep at most <paramref name="maxLength"/> tokens (null: no limit).</summary>
    public RolloutSequenceBuilder(ChatFormatter chat, int? maxLength = null)
    {
        _chat = chat ?? throw new ArgumentNullException(nameof(chat));
        if (maxLength is <= 0) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "maxLength must be positive");
        MaxLength = maxLength;
    }

    /// <summary>The most tokens a built sequence keeps (the first ones), or null.</summary>
    public int? MaxLength { get; }

    /// <summary>Starts a conversation for a rollout: the policy's prompt is <see cref="RolloutSession.Prompt"/>.</summary>
    public RolloutSession Start(IEnumerable<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new RolloutSession(_chat, messages, tools);
    }

    /// <summary>The sequence of a recorded trajectory; every action step must carry its generated ids.</summary>
    public TokenizedSequence Build(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        return Build(ConversationMessage.FromTrajectory(trajectory), trajectory.Tools, trajectory.Id);
    }

    /// <summary>The sequence of a conversation whose assistant messages carry <see cref="ConversationMessage.TokenIds"/>.</summary>
    public TokenizedSequence Build(IReadOnlyList<ConversationMessage> messages, IReadOnlyList<ToolDefinition>? tools = null, string? sourceId = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var session = new RolloutSession(_chat, [], tools);
        for (int i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            if (m.Message.Role != ChatRole.Assistant)
            {
                session.AddMessage(m.Message);
                continue;
            }
            string where = m.StepIndex is { } s ? $"step {s}" : $"message {i}";
            if (m.TokenIds is null)
                throw new ArgumentException($"conversation '{sourceId ?? "(no id)"}' {where}: the assistant turn has no generated token ids; " +
                    "token-in/token-out needs the ids a local policy produced (use SftTokenizer for text-only trajectories)", nameof(messages));
            if (m.LogProbs is not null && m.LogProbs.Count != m.TokenIds.Count)
                throw new ArgumentException($"conversation '{sourceId ?? "(no id)"}' {where}: {m.LogProbs.Count} log-probs for {m.TokenIds.Count} token ids", nameof(messages));
            try
            {
                session.AddGenerated(m.Message, m.TokenIds, m.LogProbs, m.Weight);
            }
            catch (TemplateMismatchException e)
            {
                throw new TemplateMismatchException(e.MessageIndex, $"conversation '{sourceId ?? "(no id)"}' {where}: {e.Message}");
            }
        }
        return session.ToSequence(sourceId, MaxLength);
    }
}
