using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;
using Whetstone.Training.Data;
using static Whetstone.Training.Tests.Data.Qwen3Conversations;

namespace Whetstone.Training.Tests.Data;

/// <summary>Token-in/token-out sequences through the real Qwen3 template.</summary>
public class RolloutSequenceBuilderTests
{
    /// <summary>The conversation as a local policy would have produced it: each turn's ids as the given SFT sequence encodes them.</summary>
    private static List<ConversationMessage> Generated(List<ChatMessage> messages, TokenizedSequence sft, Func<int, int[], int[]>? edit = null)
    {
        var completions = sft.Spans.Where(s => s.Kind == TokenSpanKind.Completion).ToList();
        var result = new List<ConversationMessage>();
        int turn = 0;
        foreach (var m in messages)
        {
            if (m.Role != ChatRole.Assistant) { result.Add(new ConversationMessage(m)); continue; }
            var span = completions[turn];
            var ids = sft.Ids[span.Start..span.End];
            if (edit is not null) ids = edit(turn, ids);
            var logProbs = ids.Select((_, k) => -0.01f * (k + 1) - turn).ToArray();
            result.Add(new ConversationMessage(m) { TokenIds = ids, LogProbs = logProbs });
            turn++;
        }
        return result;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ids_that_are_the_tokenizers_own_encoding_give_the_sft_sequence(bool reasoning)
    {
        var messages = ToolConversation(reasoning);
        var sft = Assert.Single(new SftTokenizer(Chat, new SftTokenizerOptions { HistoryPolicy = TemplateHistoryPolicy.KeepAsGenerated })
            .Tokenize(ConversationMessage.FromMessages(messages), Tools));
        var generated = Generated(messages, sft);

        var rl = new RolloutSequenceBuilder(Chat).Build(generated, Tools, "r1");

        Assert.Equal(sft.Ids, rl.Ids);
        Assert.Equal(sft.LossMask, rl.LossMask);
        Assert.Equal(sft.TurnIndex, rl.TurnIndex);
        Assert.Equal(sft.Spans, rl.Spans);
        // Old log-probs sit exactly on the generated ids, in order, and are 0 elsewhere.
        Assert.NotNull(rl.OldLogProbs);
        int turn = 0;
        foreach (var span in rl.Spans)
        {
            if (span.Kind == TokenSpanKind.Context)
            {
                Assert.All(rl.OldLogProbs![span.Start..span.End], v => Assert.Equal(0f, v));
                continue;
            }
            var m = generated.Where(g => g.TokenIds is not null).ElementAt(turn++);
            Assert.Equal(m.LogProbs, rl.OldLogProbs![span.Start..span.End]);
        }
    }

    [Fact]
    public void A_different_tokenization_of_the_same_text_is_kept_verbatim()
    {
        var messages = ToolConversation(reasoning: true);
        var sft = Assert.Single(new SftTokenizer(Chat).Tokenize(ConversationMessage.FromMessages(messages), Tools));
        var tok = Chat.Tokenizer;

        // Split the first multi-character token of the first turn that has a two-piece spelling in the vocabulary.
        (int At, int Left, int Right)? split = null;
        var edited = Generated(messages, sft, (turn, ids) =>
        {
            if (turn != 0) return ids;
            for (int k = 0; k < ids.Length && split is null; k++)
            {
                var token = tok.IdToToken(ids[k])!;
                for (int cut = 1; cut < token.Length && split is null; cut++)
                    if (tok.TokenToId(token[..cut]) is { } l && tok.TokenToId(token[cut..]) is { } r && !tok.IsSpecial(ids[k]))
                        split = (k, l, r);
            }
            var (at, left, right) = split!.Value;
            return [.. ids[..at], left, right, .. ids[(at + 1)..]];
        });
        Assert.NotNull(split);
        var generatedIds = edited.First(m => m.TokenIds is not null).TokenIds!;
        Assert.Equal(tok.Decode(generatedIds), tok.Decode(sft.Ids[sft.Spans[1].Start..sft.Spans[1].End]));
        Assert.NotEqual(tok.Encode(tok.Decode(generatedIds), addSpecialTokens: false), generatedIds);

        var rl = new RolloutSequenceBuilder(Chat).Build(edited, Tools);

        Assert.Equal(sft.Length + 1, rl.Length);
        var first = rl.Spans[1];
        Assert.Equal(TokenSpanKind.Completion, first.Kind);
        Assert.Equal(generatedIds, rl.Ids[first.Start..first.End]);
        Assert.Equal(tok.Decode(sft.Ids), tok.Decode(rl.Ids));
        // Everything after the first turn is the SFT sequence shifted by one token: nothing was re-tokenized.
        Assert.Equal(sft.Ids[sft.Spans[1].End..], rl.Ids[first.End..]);
        Assert.Equal(sft.LossMask[sft.Spans[1].End..], rl.LossMask[first.End..]);
    }

    [Fact]
    public void The_session_prompt_for_each_turn_extends_the_previous_prompt_and_generated_ids()
    {
        var session = new RolloutSequenceBuilder(Chat).Start([ChatMessage.System(SystemText), ChatMessage.User(User)], Tools);
        var prompt0 = session.Prompt().ToArray();
        Assert.Equal(Chat.EncodePrompt([ChatMessage.System(SystemText), ChatMessage.User(User)], Tools), prompt0);
        Assert.Same(session.Prompt(), session.Prompt());

        // A turn cut by the token limit: no <|im_end|>, and it does not parse as a call.
        int[] generated = Chat.Encode("<think>\nI should call the calc");
        var action = Chat.ParseAssistant(generated);
        session.AddGenerated(action.ToMessage(), generated, generated.Select(_ => -0.5f).ToArray());
        session.AddMessage(ChatMessage.User("Your turn was cut off. Call a tool."));
        var prompt1 = session.Prompt().ToArray();

        Assert.Equal([.. prompt0, .. generated], prompt1[..(prompt0.Length + generated.Length)]);
        Assert.EndsWith("Your turn was cut off. Call a tool.<|im_end|>\n<|im_start|>assistant\n", Chat.Tokenizer.Decode(prompt1));

        var sequence = session.ToSequence("s1");
        Assert.Equal([.. prompt0, .. generated], sequence.Ids); // the unanswered prompt is left out
        Assert.Equal(generated.Length, sequence.TrainableTokenCount);
        Assert.Throws<InvalidOperationException>(() => session.AddMessage(ChatMessage.User("too late")));
    }

    [Fact]
    public void Action_steps_without_generated_ids_are_rejected_naming_the_step()
    {
        var trajectory = SftTokenizerQwen3Tests.TrajectoryOf(ToolConversation(reasoning: true), weightOfSecondTurn: null);
        var e = Assert.Throws<ArgumentException>(() => new RolloutSequenceBuilder(Chat).Build(trajectory));
        Assert.Contains("step 2", e.Message);
        Assert.Contains("traj-1", e.Message);
    }

    [Fact]
    public void A_trajectory_from_a_local_policy_builds_with_weights_and_max_length()
    {
        var messages = ToolConversation(reasoning: true);
        var sft = Assert.Single(new SftTokenizer(Chat).Tokenize(ConversationMessage.FromMessages(messages), Tools));
        var generated = Generated(messages, sft);
        var steps = SftTokenizerQwen3Tests.TrajectoryOf(messages, weightOfSecondTurn: 0).Steps.ToList();
        int turn = 0;
        for (int s = 0; s < steps.Count; s++)
            if (steps[s] is ActionStep a)
            {
                var g = generated.Where(m => m.TokenIds is not null).ElementAt(turn++);
                steps[s] = a with { TokenIds = g.TokenIds, LogProbs = g.LogProbs };
            }
        var trajectory = new Trajectory { Id = "rl-1", Tools = Tools, Steps = steps };

        var rl = new RolloutSequenceBuilder(Chat).Build(trajectory);
        Assert.Equal(sft.Ids, rl.Ids);
        var second = rl.Spans.Single(s => s.Kind == TokenSpanKind.Completion && s.TurnIndex == 1);
        Assert.All(rl.LossMask[second.Start..second.End], v => Assert.Equal(0f, v));
        Assert.NotEqual(0f, rl.OldLogProbs![second.Start]); // log-probs stay even where the loss is off

        var cut = new RolloutSequenceBuilder(Chat, maxLength: 100).Build(trajectory);
        Assert.Equal(100, cut.Length);
        Assert.Equal(rl.Length - 100, cut.TruncatedTokenCount);
        Assert.Equal(rl.OldLogProbs![..100], cut.OldLogProbs);
    }

    [Fact]
    public void Log_probs_of_the_wrong_length_are_rejected()
    {
        var messages = ConversationMessage.FromMessages([ChatMessage.User("Hi")]).ToList();
        messages.Add(new ConversationMessage(ChatMessage.Assistant("Hello")) { TokenIds = Chat.Encode("Hello<|im_end|>"), LogProbs = [-1f] });
        var e = Assert.Throws<ArgumentException>(() => new RolloutSequenceBuilder(Chat).Build(messages));
        Assert.Contains("1 log-probs for 2 token ids", e.Message);
    }
}
