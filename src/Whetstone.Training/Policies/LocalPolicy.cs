using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Models.Generation;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using AgentSampling = Whetstone.Agents.Policies.SamplingOptions;
using ModelSampling = Whetstone.Models.Generation.SamplingOptions;

namespace Whetstone.Training.Policies;

/// <summary>
/// A <see cref="TransformerModel"/> behind <see cref="IPolicy"/>: the conversation becomes prompt ids through the
/// model's chat template, the <see cref="Generator"/> samples a reply with the request's settings (plus the template's
/// stop tokens), and the reply is parsed into an <see cref="Agents.Trajectories.AgentAction"/>. The response carries
/// the generated ids (ending with the end-of-turn token when the model stopped there) and their log-probabilities at
/// temperature 1.
/// </summary>
/// <remarks>
/// <para>Token-in/token-out: the policy remembers each conversation it answered (a <see cref="RolloutSession"/>).
/// When a call's messages extend one of them (the same message objects, then the assistant turn it produced, then
/// new observations), the prompt is that session's ids + the ids it generated + the encoding of only the new text;
/// nothing is re-tokenized. Any other conversation starts a fresh session from the template's rendering.</para>
/// <para>Thread-safety and batching: calls may come from many rollout workers at once. Their generations share one
/// <see cref="BatchedDecoder"/> (continuous batching: every decode step runs all sequences in flight through one
/// forward), so a rollout with many episodes in flight reads each weight once per step rather than once per episode.
/// A seeded request gets the same tokens however many others are in flight.</para>
/// </remarks>
public sealed class LocalPolicy : IPolicy, IDisposable
{
    private readonly BatchedDecoder _decoder;
    private readonly int _contextTokens;
    private readonly RolloutSequenceBuilder _builder;
    private readonly object _gate = new();
    private readonly LinkedList<OpenConversation> _open = new();
    private readonly int _maxOpenConversations;

    /// <summary>Creates a policy over <paramref name="model"/> (not owned) and its chat formatter.</summary>
    /// <param name="model">The model; its weights are read at each call, so training between calls is seen.</param>
    /// <param name="chat">The tokenizer and chat template the model was trained with.</param>
    /// <param name="maxOpenConversations">How many conversations to remember for token-in/token-out prompts; keep it
    /// above the number of episodes in flight.</param>
    /// <param name="maxBatchSize">Most sequences decoded together; further concurrent calls wait their turn.</param>
    public LocalPolicy(TransformerModel model, ChatFormatter chat, int maxOpenConversations = 1024, int maxBatchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOpenConversations, 1);
        Model = model;
        Chat = chat;
        _maxOpenConversations = maxOpenConversations;
        var generator = new Generator(model, new GeneratorOptions { MaxBatchSize = maxBatchSize });
        _contextTokens = generator.MaxSequenceLength;
        _decoder = new BatchedDecoder(generator, "whet local policy");
        _builder = new RolloutSequenceBuilder(chat);
    }

    /// <summary>The model that generates.</summary>
    public TransformerModel Model { get; }

    /// <summary>Tokenizer + chat template.</summary>
    public ChatFormatter Chat { get; }

    /// <summary>The prompt ids of the most recent call (for inspection; with concurrent callers, whichever ran last).</summary>
    public IReadOnlyList<int>? LastPrompt { get; private set; }

    /// <inheritdoc />
    public async Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        options ??= new PolicyOptions();
        RolloutSession session;
        IReadOnlyList<int> prompt;
        lock (_gate)
        {
            (session, prompt) = PromptFor(messages, options);
            LastPrompt = prompt.ToArray();
        }
        // The generator's own rule (a prompt must leave room for one token), said in the agent layer's terms.
        if (prompt.Count >= _contextTokens)
            throw new ContextWindowFullException(prompt.Count, _contextTokens);
        var result = await _decoder.GenerateAsync(new GenerationRequest(prompt, ToModelSampling(options.Sampling),
            ids => Chat.Tokenizer.Decode(ids)), cancellationToken).ConfigureAwait(false);
        var action = Chat.ParseAssistant(result.Tokens);
        lock (_gate) Remember(messages, session, action.ToMessage(), result.Tokens, result.LogProbs);
        return new PolicyResponse
        {
            Action = action,
            TokenIds = result.Tokens.ToArray(),
            LogProbs = result.LogProbs.ToArray(),
            FinishReason = result.Reason switch
            {
                FinishReason.StopToken or FinishReason.StopString => "stop",
                _ => "length",
            },
            PromptTokens = prompt.Count,
            CompletionTokens = result.Tokens.Count,
        };
    }

    /// <summary>The generator's sampling settings for a request: the template's stop tokens always end a turn.</summary>
    internal ModelSampling ToModelSampling(AgentSampling sampling) => new()
    {
        Temperature = sampling.Temperature,
        TopP = sampling.TopP,
        TopK = sampling.TopK,
        MinP = sampling.MinP,
        MaxNewTokens = Math.Max(1, sampling.MaxTokens),
        Seed = sampling.Seed is { } s ? unchecked((ulong)(uint)s) : null,
        StopTokenIds = Chat.StopTokenIds,
        StopStrings = sampling.Stop,
    };

    /// <summary>The prompt ids: an open conversation extended token-in/token-out, or a fresh rendering.</summary>
    private (RolloutSession Session, IReadOnlyList<int> Prompt) PromptFor(IReadOnlyList<ChatMessage> messages, PolicyOptions options)
    {
        for (var node = _open.First; node is not null; node = node.Next)
        {
            var open = node.Value;
            if (!open.Extends(messages)) continue;
            _open.Remove(node);
            open.Session.AddGenerated(messages[open.Seen.Length], open.GeneratedIds, open.GeneratedLogProbs);
            for (int i = open.Seen.Length + 1; i < messages.Count; i++) open.Session.AddMessage(messages[i]);
            return (open.Session, open.Session.Prompt());
        }
        var session = _builder.Start(messages, options.Tools);
        return (session, session.Prompt());
    }

    private void Remember(IReadOnlyList<ChatMessage> messages, RolloutSession session, ChatMessage reply, IReadOnlyList<int> ids, IReadOnlyList<float> logProbs)
    {
        _open.AddFirst(new OpenConversation([.. messages], session, reply, ids.ToArray(), logProbs.ToArray()));
        while (_open.Count > _maxOpenConversations) _open.RemoveLast();
    }

    /// <inheritdoc />
    public void Dispose() => _decoder.Dispose();

    /// <summary>A conversation answered once: the messages it had, its session, and the reply not yet added to it.</summary>
    private sealed record OpenConversation(ChatMessage[] Seen, RolloutSession Session, ChatMessage Reply, int[] GeneratedIds, float[] GeneratedLogProbs)
    {
        /// <summary>
        /// True when <paramref name="messages"/> is this conversation's messages (the same objects), then this very
        /// reply, then only non-assistant messages: observations to encode after the generated ids. The reply is
        /// compared too: sibling episodes of one task share their opening messages, and each must continue its own ids.
        /// </summary>
        public bool Extends(IReadOnlyList<ChatMessage> messages)
        {
            if (messages.Count < Seen.Length + 2) return false;
            for (int i = 0; i < Seen.Length; i++)
                if (!ReferenceEquals(messages[i], Seen[i]) && !Equals(messages[i], Seen[i])) return false;
            if (!SameReply(messages[Seen.Length], Reply)) return false;
            for (int i = Seen.Length + 1; i < messages.Count; i++)
                if (messages[i].Role == ChatRole.Assistant) return false;
            return true;
        }

        private static bool SameReply(ChatMessage message, ChatMessage reply) =>
            message.Role == ChatRole.Assistant
            && message.Content == reply.Content
            && message.Reasoning == reply.Reasoning
            && message.ToolCalls.SequenceEqual(reply.ToolCalls);
    }
}
