using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.Data;

/// <summary>
/// Turns conversations into token ids and loss masks through the model's real chat template, for supervised
/// fine-tuning, rejection sampling and DPO.
/// </summary>
/// <remarks>
/// For each assistant turn k at message i: render messages [0, i) with the generation prompt (P_k), render [0, i]
/// without it (F_k), check that F_k starts with P_k, and take the text between as the turn as the model would
/// generate it, up to and including the end-of-turn token. The text between turns (template glue, tool outputs, user
/// messages and the next generation prompt) comes from P_{k+1}. Each piece is encoded on its own and the ids are
/// concatenated: exactly what the model sees at generation time (prompt tokens, then generated tokens). Assistant
/// pieces get the turn's weight in the loss mask, everything else 0. The sequence ends at the last assistant turn's
/// end-of-turn token: what the template writes after it (ChatML's "\n") and any later observations are left out, as
/// no loss falls on them.
/// </remarks>
public sealed class SftTokenizer
{
    private readonly ChatFormatter _chat;

    /// <summary>Creates a tokenizer over <paramref name="chat"/>'s tokenizer and template.</summary>
    public SftTokenizer(ChatFormatter chat, SftTokenizerOptions? options = null)
    {
        _chat = chat ?? throw new ArgumentNullException(nameof(chat));
        Options = options ?? new SftTokenizerOptions();
        if (Options.MaxLength is <= 0) throw new ArgumentOutOfRangeException(nameof(options), Options.MaxLength, "MaxLength must be positive");
    }

    /// <summary>The settings.</summary>
    public SftTokenizerOptions Options { get; }

    /// <summary>Tokenizes a trajectory (its steps as messages, its tools); <see cref="ActionStep.Weight"/> = 0 turns are context only.</summary>
    public IReadOnlyList<TokenizedSequence> Tokenize(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        return Tokenize(ConversationMessage.FromTrajectory(trajectory), trajectory.Tools, trajectory.Id);
    }

    /// <summary>
    /// Tokenizes a conversation. Returns one sequence, or several under <see cref="TemplateHistoryPolicy.SplitSequence"/>
    /// when the template re-renders history.
    /// </summary>
    /// <exception cref="ArgumentException">The conversation has no assistant message.</exception>
    /// <exception cref="TemplateMismatchException">The template cannot be cut into prompt + completion at some turn.</exception>
    public IReadOnlyList<TokenizedSequence> Tokenize(IReadOnlyList<ConversationMessage> messages, IReadOnlyList<ToolDefinition>? tools = null, string? sourceId = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        try
        {
            return TokenizeConversation(messages, tools, sourceId);
        }
        catch (TemplateMismatchException e) when (sourceId is not null)
        {
            throw new TemplateMismatchException(e.MessageIndex, $"conversation '{sourceId}': {e.Message}");
        }
    }

    private List<TokenizedSequence> TokenizeConversation(IReadOnlyList<ConversationMessage> messages, IReadOnlyList<ToolDefinition>? tools, string? sourceId)
    {
        var assistants = Enumerable.Range(0, messages.Count).Where(i => messages[i].Message.Role == Agents.Messages.ChatRole.Assistant).ToList();
        if (assistants.Count == 0)
            throw new ArgumentException($"conversation '{sourceId ?? "(no id)"}' has no assistant message to train on", nameof(messages));

        var renderer = new IncrementalRenderer(_chat, messages.Select(m => m.Message), tools);
        var sequences = new List<TokenizedSequence>();
        var sequence = new SequenceAssembler();
        string prompt = renderer.Render(assistants[0], addGenerationPrompt: true);
        sequence.AddContext(_chat.Encode(prompt));
        for (int k = 0; k < assistants.Count; k++)
        {
            int i = assistants[k];
            var (completion, full) = renderer.Completion(i, prompt);
            sequence.AddCompletion(_chat.Encode(completion), messages[i].Weight, i, k, logProbs: null);
            if (k + 1 == assistants.Count) break;

            string nextPrompt = renderer.Render(assistants[k + 1], addGenerationPrompt: true);
            string? delta = renderer.DeltaByPrefix(full, nextPrompt);
            if (delta is null)
            {
                switch (Options.HistoryPolicy)
                {
                    case TemplateHistoryPolicy.SplitSequence:
                        sequences.Add(sequence.Build(sourceId, Options.MaxLength, withLogProbs: false));
                        sequence = new SequenceAssembler();
                        delta = nextPrompt;
                        break;
                    case TemplateHistoryPolicy.KeepAsGenerated:
                        delta = renderer.DeltaAfter(i, assistants[k + 1], full, nextPrompt)
                            ?? throw new TemplateMismatchException(i,
                                $"assistant message {i}: cannot find where the template's text after this turn begins " +
                                $"(the rendering of messages 0..{assistants[k + 1] - 1} neither extends the text through message {i} nor shows its content)");
                        break;
                    default:
                        throw new TemplateMismatchException(i,
                            $"assistant message {i}{StepNote(messages[i])}: the chat template renders this turn differently once later messages " +
                            $"follow it ({TemplateMismatchException.Divergence(full, nextPrompt)}), so prompt + generated turn is not a " +
                            "prefix of the template's text for the longer conversation (Qwen3 drops empty think blocks and old reasoning). " +
                            "Set SftTokenizerOptions.HistoryPolicy to SplitSequence (one sequence per such turn, history as the template " +
                            "renders it) or KeepAsGenerated (one sequence, turns as generated, as token-in/token-out rollouts see them).");
                }
            }
            sequence.AddContext(_chat.Encode(delta));
            prompt = nextPrompt;
        }
        sequences.Add(sequence.Build(sourceId, Options.MaxLength, withLogProbs: false));
        return sequences;
    }

    private static string StepNote(ConversationMessage m) => m.StepIndex is { } s ? $" (trajectory step {s})" : "";
}
