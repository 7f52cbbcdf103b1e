using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;

namespace Whetstone.Training.Data;

/// <summary>
/// The token sequence of one conversation as a local policy plays it, token-in/token-out: the ids the policy generated
/// are kept verbatim, and only the new text between turns (template glue, observations, the next generation prompt)
/// is encoded. Nothing already in the sequence is ever re-tokenized, so the prompt the policy sees for turn k+1 is
/// exactly the prompt of turn k + the ids it generated + the encoded new text.
/// </summary>
/// <remarks>
/// <code>
/// var session = builder.Start(initialMessages, tools);
/// while (!done)
/// {
///     IReadOnlyList&lt;int&gt; prompt = session.Prompt();                   // feed to the model
///     var (ids, logProbs) = Generate(prompt);                           // stops after the end-of-turn token
///     session.AddGenerated(chat.ParseAssistant(ids).ToMessage(), ids, logProbs);
///     foreach (var observation in Act(...)) session.AddMessage(observation);
/// }
/// TokenizedSequence training = session.ToSequence(trajectoryId);
/// </code>
/// The new text after a generated turn is found from the template's own renderings (see the training-data readme);
/// the generated text itself is never compared with the template's rendering of the parsed turn.
/// </remarks>
public sealed class RolloutSession
{
    private readonly ChatFormatter _chat;
    private readonly IncrementalRenderer _renderer;
    private readonly SequenceAssembler _sequence = new();
    private int _lastGenerated = -1;
    private int _turns;
    private int _generatedEnd;
    private bool _promptBuilt;

    internal RolloutSession(ChatFormatter chat, IEnumerable<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        _chat = chat;
        _renderer = new IncrementalRenderer(chat, [], tools);
        foreach (var m in messages) AddMessage(m);
    }

    /// <summary>The ids so far (after <see cref="Prompt"/>, ending with the generation prompt).</summary>
    public IReadOnlyList<int> Ids => _sequence.Ids;

    /// <summary>Number of messages in the conversation so far.</summary>
    public int MessageCount => _renderer.Count;

    /// <summary>Number of generated turns so far.</summary>
    public int GeneratedTurns => _turns;

    /// <summary>
    /// Adds a system, user or tool message (an observation). Call before <see cref="Prompt"/>: the prompt's generation
    /// header is only encoded once all observations of the turn are in.
    /// </summary>
    /// <exception cref="InvalidOperationException">The prompt for the next turn was already built, or the message is an assistant turn.</exception>
    public void AddMessage(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Role == ChatRole.Assistant)
            throw new InvalidOperationException($"message {_renderer.Count}: assistant turns need the ids the policy generated; use AddGenerated");
        if (_promptBuilt)
            throw new InvalidOperationException($"message {_renderer.Count}: the prompt for the next turn was already encoded; add observations before calling Prompt()");
        _renderer.Add(message);
    }

    /// <summary>
    /// Encodes the text that is new since the last generated token (or the whole first prompt) and returns the full
    /// sequence, which ends with the generation prompt: the ids to feed the model. Calling it again without new
    /// messages returns the same ids.
    /// </summary>
    /// <exception cref="TemplateMismatchException">The template's text after the last generated turn cannot be located.</exception>
    public IReadOnlyList<int> Prompt()
    {
        if (_promptBuilt) return _sequence.Ids;
        int count = _renderer.Count;
        string text;
        if (_lastGenerated < 0)
            text = _renderer.Render(count, addGenerationPrompt: true);
        else
            text = _renderer.DeltaAfter(_lastGenerated, count)
                ?? throw new TemplateMismatchException(_lastGenerated,
                    $"assistant message {_lastGenerated}: cannot find where the template's text after this generated turn begins " +
                    $"(the rendering of messages 0..{count - 1} neither extends the text through message {_lastGenerated} nor shows its content)");
        _sequence.AddContext(_chat.Encode(text));
        _promptBuilt = true;
        return _sequence.Ids;
    }

    /// <summary>
    /// Appends a generated assistant turn: <paramref name="ids"/> verbatim (normally ending with the end-of-turn token),
    /// with their log-probs, trained on with <paramref name="weight"/>. <paramref name="assistant"/> is the parsed turn
    /// (see <see cref="ChatFormatter.ParseAssistant(string)"/>); it is only used to render what follows.
    /// </summary>
    public void AddGenerated(ChatMessage assistant, IReadOnlyList<int> ids, IReadOnlyList<float>? logProbs = null, float weight = 1f)
    {
        ArgumentNullException.ThrowIfNull(assistant);
        ArgumentNullException.ThrowIfNull(ids);
        if (assistant.Role != ChatRole.Assistant)
            throw new ArgumentException($"message {_renderer.Count}: a generated turn must be an assistant message, got {assistant.Role}", nameof(assistant));
        int vocab = _chat.Tokenizer.VocabSize;
        for (int k = 0; k < ids.Count; k++)
            if (ids[k] < 0 || ids[k] >= vocab)
                throw new ArgumentException($"message {_renderer.Count}: generated id {ids[k]} at position {k} is outside the vocabulary (0..{vocab - 1})", nameof(ids));
        Prompt();
        _renderer.Add(assistant);
        _lastGenerated = _renderer.Count - 1;
        _sequence.AddCompletion(ids, weight, _lastGenerated, _turns++, logProbs);
        _generatedEnd = _sequence.Count;
        _promptBuilt = false;
    }

    /// <summary>
    /// The training sequence: everything through the last generated token (a prompt built after it is left out, as
    /// no loss falls on it), at most <paramref name="maxLength"/> tokens. Log-probs are carried when every generated
    /// turn had them.
    /// </summary>
    /// <exception cref="InvalidOperationException">No turn was generated, or only some turns have log-probs.</exception>
    public TokenizedSequence ToSequence(string? sourceId = null, int? maxLength = null)
    {
        if (_turns == 0) throw new InvalidOperationException($"conversation '{sourceId ?? "(no id)"}' has no generated turn");
        if (_sequence.HasLogProbs && _sequence.MissingLogProbs)
            throw new InvalidOperationException($"conversation '{sourceId ?? "(no id)"}': some generated turns have log-probs and others do not");
        return _sequence.Build(sourceId, maxLength, withLogProbs: _sequence.HasLogProbs, end: _generatedEnd);
    }
}
