using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Environments;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Autograd;
using Whetstone.Training.Policies;
using Whetstone.Training.Tests.Sft;

namespace Whetstone.Training.Tests.Policies;

/// <summary>A shared small corpus/tokenizer for the policy tests (40 expert calc episodes).</summary>
public sealed class SmallCalcCorpus() : IDisposable
{
    public CalcCorpus Corpus { get; } = new(trainTasks: 40, vocabSize: 1024);

    public void Dispose() => Corpus.Dispose();
}

public sealed class LocalPolicyTests(SmallCalcCorpus fixture) : IClassFixture<SmallCalcCorpus>
{
    private readonly CalcCorpus _corpus = fixture.Corpus;

    private TransformerModel RandomModel(ulong seed = 1) =>
        TransformerModel.Create(ModelShapes.Tiny(_corpus.Chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 2048 }, seed);

    private static PolicyOptions Sampled(int seed, int maxTokens = 24) =>
        new() { Sampling = new SamplingOptions { Temperature = 1f, Seed = seed, MaxTokens = maxTokens } };

    [Fact]
    public async Task Returns_ids_and_logprobs_consistent_with_the_text_and_the_model()
    {
        using var model = RandomModel();
        using var policy = new LocalPolicy(model, _corpus.Chat);
        List<ChatMessage> messages = [ChatMessage.System("You are a calculator."), ChatMessage.User("What is 2+3?")];
        var response = await policy.RespondAsync(messages, Sampled(7));

        Assert.NotNull(response.TokenIds);
        Assert.NotNull(response.LogProbs);
        Assert.Equal(response.TokenIds!.Count, response.LogProbs!.Count);
        Assert.Equal(response.TokenIds.Count, response.CompletionTokens);
        Assert.All(response.LogProbs, lp => Assert.True(lp <= 0 && float.IsFinite(lp)));
        // The action is the parse of exactly these ids.
        var reparsed = _corpus.Chat.ParseAssistant(response.TokenIds);
        Assert.Equal(reparsed.Content, response.Action.Content);
        Assert.Equal(reparsed.ToolCalls.Count + reparsed.MalformedToolCalls.Count, response.Action.ToolCalls.Count + response.Action.MalformedToolCalls.Count);

        // The log-probs are the model's own: score prompt + generated ids with the training forward.
        var prompt = _corpus.Chat.EncodePrompt(messages);
        Assert.Equal(prompt.Length, response.PromptTokens);
        int[] all = [.. prompt, .. response.TokenIds];
        using var tape = new Tape();
        using (tape.NoGrad())
        {
            var logits = model.Forward(tape, all, 1, all.Length);
            var lp = CausalLmLoss.NextTokenLogProbs(tape, logits, all).AsSpan();
            for (int k = 0; k < response.TokenIds.Count; k++)
                Assert.Equal(lp[prompt.Length - 1 + k], response.LogProbs[k], 3);
        }
    }

    [Fact]
    public async Task Same_seed_same_reply_different_seed_different_reply()
    {
        using var model = RandomModel();
        using var policy = new LocalPolicy(model, _corpus.Chat);
        List<ChatMessage> messages = [ChatMessage.User("What is 12*7?")];
        var a = await policy.RespondAsync(messages, Sampled(3));
        var b = await policy.RespondAsync(messages, Sampled(3));
        var c = await policy.RespondAsync(messages, Sampled(4));
        Assert.Equal(a.TokenIds, b.TokenIds);
        Assert.Equal(a.LogProbs, b.LogProbs);
        Assert.NotEqual(a.TokenIds, c.TokenIds);
    }

    [Fact]
    public async Task Greedy_reply_stops_at_max_tokens_or_the_end_of_turn()
    {
        using var model = RandomModel(5);
        using var policy = new LocalPolicy(model, _corpus.Chat);
        var r = await policy.RespondAsync([ChatMessage.User("hi")],
            new PolicyOptions { Sampling = new SamplingOptions { Temperature = 0, MaxTokens = 5 } });
        Assert.True(r.TokenIds!.Count <= 5);
        if (r.TokenIds.Count < 5) Assert.Equal(_corpus.Chat.EndOfTurnTokenId, r.TokenIds[^1]);
        else Assert.Equal("length", r.FinishReason);
    }

    [Fact]
    public void Tool_call_text_is_parsed_and_garbage_calls_become_malformed_not_exceptions()
    {
        // The parse step LocalPolicy applies to its generated ids, fed ids of a known reply.
        var chat = _corpus.Chat;
        var good = chat.Encode("<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}\n</tool_call><|im_end|>");
        var action = chat.ParseAssistant(good);
        Assert.Single(action.ToolCalls);
        Assert.Equal("add", action.ToolCalls[0].Name);
        var bad = chat.Encode("<tool_call>\n{\"name\": \"add\", \"argum\n</tool_call><|im_end|>");
        var broken = chat.ParseAssistant(bad);
        Assert.Empty(broken.ToolCalls);
        Assert.Single(broken.MalformedToolCalls);
    }

    [Fact]
    public async Task Later_turns_extend_the_generated_ids_verbatim_token_in_token_out()
    {
        using var model = RandomModel(2);
        using var policy = new LocalPolicy(model, _corpus.Chat);
        // What the rollout runner does: one growing list, the reply's message appended, then an observation.
        var messages = new List<ChatMessage> { ChatMessage.System("Use tools."), ChatMessage.User("What is 2+2?") };
        var first = await policy.RespondAsync(messages, Sampled(11, maxTokens: 10));
        var firstPrompt = policy.LastPrompt!;
        // Another conversation in between must not disturb this one's session.
        await policy.RespondAsync([ChatMessage.User("unrelated")], Sampled(12, maxTokens: 4));
        messages.Add(first.Action.ToMessage());
        messages.Add(ChatMessage.User("4"));
        var second = await policy.RespondAsync(messages, Sampled(13, maxTokens: 10));
        var secondPrompt = policy.LastPrompt!;

        Assert.Equal(firstPrompt, secondPrompt.Take(firstPrompt.Count));
        Assert.Equal(first.TokenIds, secondPrompt.Skip(firstPrompt.Count).Take(first.TokenIds!.Count));
        // Only the new text was encoded after the generated ids: it ends with the generation prompt.
        var tail = _corpus.Chat.Tokenizer.Decode(secondPrompt.Skip(firstPrompt.Count + first.TokenIds.Count).ToArray());
        Assert.Contains("4", tail);
        Assert.EndsWith("<|im_start|>assistant\n", tail);
        Assert.Equal(secondPrompt.Count, second.PromptTokens);
    }

    [Fact]
    public async Task Sibling_episodes_of_one_task_each_continue_their_own_ids()
    {
        // A GRPO group: the same opening messages sampled twice with different seeds, then each continued.
        using var model = RandomModel(2);
        using var policy = new LocalPolicy(model, _corpus.Chat);
        var opening = new ChatMessage[] { ChatMessage.System("Use tools."), ChatMessage.User("What is 2+2?") };
        var a = new List<ChatMessage>(opening);
        var b = new List<ChatMessage>(opening);
        var replyA = await policy.RespondAsync(a, Sampled(21, maxTokens: 8));
        var replyB = await policy.RespondAsync(b, Sampled(22, maxTokens: 8));
        Assert.NotEqual(replyA.TokenIds, replyB.TokenIds);
        a.Add(replyA.Action.ToMessage());
        a.Add(ChatMessage.User("ok"));
        await policy.RespondAsync(a, Sampled(23, maxTokens: 4));
        var promptA = policy.LastPrompt!;
        Assert.True(ContainsRun(promptA, replyA.TokenIds!), "episode A's prompt must hold A's generated ids");
        Assert.False(ContainsRun(promptA, replyB.TokenIds!), "episode A's prompt must not hold its sibling's ids");
    }

    private static bool ContainsRun(IReadOnlyList<int> haystack, IReadOnlyList<int> run)
    {
        for (int start = 0; start + run.Count <= haystack.Count; start++)
            if (haystack.Skip(start).Take(run.Count).SequenceEqual(run))
                return true;
        return false;
    }

    [Fact]
    public async Task Runs_concurrently_under_the_rollout_runner()
    {
        using var model = RandomModel(3);
        using var policy = new LocalPolicy(model, _corpus.Chat);
        var runner = new RolloutRunner(_corpus.Factory, PolicySource.Shared(policy), new RolloutOptions
        {
            MaxTurns = 2, MaxParallelism = 4, Seed = 1, Sampling = new SamplingOptions { Temperature = 1f, MaxTokens = 8 },
        });
        var trajectories = await runner.RunAllAsync(_corpus.Factory.Tasks(DataSplit.Test, 6));
        Assert.Equal(6, trajectories.Count);
        Assert.All(trajectories, t => Assert.NotEqual(Whetstone.Agents.Trajectories.EpisodeStatus.InfrastructureError, t.Status));
        Assert.All(trajectories, t => Assert.All(t.Steps.OfType<Whetstone.Agents.Trajectories.ActionStep>(), a => Assert.NotNull(a.TokenIds)));
    }

    [Fact]
    public async Task Batched_rollout_plays_the_same_episodes_as_one_at_a_time()
    {
        // Many episodes in flight share the decoder's batches; each samples from its own seed, so the tokens and every
        // later turn's prompt must not depend on what else was decoded in the same steps. Log-probs agree up to the
        // float rounding of batched versus single-row GEMMs (a token could only flip on a near-tie of that size).
        using var model = RandomModel(4);
        var tasks = _corpus.Factory.Tasks(DataSplit.Test, 4);
        async Task<IReadOnlyList<Whetstone.Agents.Trajectories.Trajectory>> Play(int parallelism)
        {
            using var policy = new LocalPolicy(model, _corpus.Chat);
            var runner = new RolloutRunner(_corpus.Factory, PolicySource.Shared(policy), new RolloutOptions
            {
                SamplesPerTask = 4, MaxTurns = 3, MaxParallelism = parallelism, Seed = 9,
                Sampling = new SamplingOptions { Temperature = 1f, MaxTokens = 12 },
            });
            return await runner.RunAllAsync(tasks);
        }
        var alone = await Play(1);
        var batched = await Play(16);
        Assert.Equal(alone.Count, batched.Count);
        for (int i = 0; i < alone.Count; i++)
        {
            var a = alone[i].Steps.OfType<Whetstone.Agents.Trajectories.ActionStep>().ToList();
            var b = batched[i].Steps.OfType<Whetstone.Agents.Trajectories.ActionStep>().ToList();
            Assert.Equal(a.Count, b.Count);
            for (int k = 0; k < a.Count; k++)
            {
                Assert.Equal(a[k].TokenIds, b[k].TokenIds);
                for (int t = 0; t < a[k].LogProbs!.Count; t++) Assert.Equal(a[k].LogProbs![t], b[k].LogProbs![t], 1e-4);
            }
            Assert.Equal(alone[i].Reward, batched[i].Reward);
        }
    }

    [Fact]
    public async Task A_conversation_longer_than_the_context_window_says_so()
    {
        using var model = TransformerModel.Create(ModelShapes.Tiny(_corpus.Chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 64 }, 1);
        using var policy = new LocalPolicy(model, _corpus.Chat);
        List<ChatMessage> messages = [ChatMessage.User(string.Join(" ", Enumerable.Repeat("What is 12*7 plus 3?", 20)))];
        var e = await Assert.ThrowsAsync<ContextWindowFullException>(() => policy.RespondAsync(messages, Sampled(1)));
        Assert.Equal(64, e.ContextTokens);
        Assert.True(e.PromptTokens >= 63);
    }
}
