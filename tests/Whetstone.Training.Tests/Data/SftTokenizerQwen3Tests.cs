using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;
using Whetstone.Training.Data;
using static Whetstone.Training.Tests.Data.Qwen3Conversations;

namespace Whetstone.Training.Tests.Data;

/// <summary>SFT tokenization through the real Qwen3 chat template and tokenizer.</summary>
public class SftTokenizerQwen3Tests
{
    private const string EmptyThink = "<think>\n\n</think>\n\n";

    private static string Think(string reasoning) => $"<think>\n{reasoning}\n</think>\n\n";

    [Fact]
    public void With_reasoning_on_every_turn_one_sequence_masks_exactly_the_assistant_turns()
    {
        var messages = ToolConversation(reasoning: true);
        var sequences = new SftTokenizer(Chat).Tokenize(ConversationMessage.FromMessages(messages), Tools, "t1");

        var sequence = Assert.Single(sequences);
        string[] expected =
        [
            Think(messages[2].Reasoning!) + FirstTurnCalls + "<|im_end|>",
            Think(messages[5].Reasoning!) + "Let me check a newer figure.\n" + SecondTurnCall + "<|im_end|>",
            Think(messages[7].Reasoning!) + Final + "<|im_end|>",
        ];
        Assert.Equal(expected, SequenceAssertions.CompletionTexts(Chat.Tokenizer, sequence));
        SequenceAssertions.MaskedTokensDecodeTo(Chat.Tokenizer, sequence, expected);
        SequenceAssertions.SpansAgreeWithMask(sequence);
        Assert.Equal([2, 5, 7], sequence.Spans.Where(s => s.Kind == TokenSpanKind.Completion).Select(s => s.MessageIndex));
        Assert.Equal("t1", sequence.SourceId);
        Assert.Null(sequence.OldLogProbs);

        // Each completion ends on <|im_end|> and follows the unmasked header "<|im_start|>assistant\n".
        foreach (var span in sequence.Spans.Where(s => s.Kind == TokenSpanKind.Completion))
        {
            Assert.Equal(Chat.EndOfTurnTokenId, sequence.Ids[span.End - 1]);
            Assert.Equal("<|im_start|>assistant\n", Chat.Tokenizer.Decode(sequence.Ids[(span.Start - 3)..span.Start]));
            Assert.All(Enumerable.Range(span.Start - 3, 3), t => Assert.Equal(0f, sequence.LossMask[t]));
        }

        // The context holds all system, user and tool text (and the tool schemas), and none of it is masked.
        string context = SequenceAssertions.ContextText(Chat.Tokenizer, sequence);
        foreach (var text in new[] { SystemText, User, Tool1, Tool2, Tool3, "\"name\": \"calculator\"", "<tool_response>\n391\n</tool_response>" })
            Assert.Contains(text, context);

        // Concatenating separately encoded pieces gives the ids of the whole rendering (through the last <|im_end|>).
        string full = Chat.Render(messages, Tools);
        Assert.EndsWith("<|im_end|>\n", full);
        string through = full[..^1];
        Assert.Equal(through, Chat.Tokenizer.Decode(sequence.Ids));
        Assert.Equal(Chat.Encode(through), sequence.Ids);
    }

    [Fact]
    public void Strict_policy_names_the_assistant_message_that_qwen3_re_renders()
    {
        var messages = ToolConversation(reasoning: false);
        var e = Assert.Throws<TemplateMismatchException>(() => new SftTokenizer(Chat).Tokenize(ConversationMessage.FromMessages(messages), Tools, "ep-3"));
        Assert.Equal(2, e.MessageIndex);
        Assert.StartsWith("conversation 'ep-3': ", e.Message);
        Assert.Contains("assistant message 2", e.Message);
        Assert.Contains("SplitSequence", e.Message);
        Assert.Contains("KeepAsGenerated", e.Message);
    }

    [Fact]
    public void Keep_as_generated_keeps_each_turn_in_its_last_turn_form_in_one_sequence()
    {
        var messages = ToolConversation(reasoning: false);
        var sft = new SftTokenizer(Chat, new SftTokenizerOptions { HistoryPolicy = TemplateHistoryPolicy.KeepAsGenerated });
        var sequence = Assert.Single(sft.Tokenize(ConversationMessage.FromMessages(messages), Tools));

        string[] expected =
        [
            EmptyThink + FirstTurnCalls + "<|im_end|>",
            EmptyThink + "Let me check a newer figure.\n" + SecondTurnCall + "<|im_end|>",
            EmptyThink + Final + "<|im_end|>",
        ];
        Assert.Equal(expected, SequenceAssertions.CompletionTexts(Chat.Tokenizer, sequence));
        SequenceAssertions.MaskedTokensDecodeTo(Chat.Tokenizer, sequence, expected);
        SequenceAssertions.SpansAgreeWithMask(sequence);

        // The text is prompt + turn + observation text + turn …: the template's first prompt, then exactly the text
        // a token-in/token-out rollout appends.
        string prompt0 = Chat.RenderPrompt(messages[..2], Tools);
        string observations1 = "\n<|im_start|>user\n<tool_response>\n391\n</tool_response>\n<tool_response>\nParis: 2.1 million (2023)\n</tool_response><|im_end|>\n<|im_start|>assistant\n";
        string observations2 = "\n<|im_start|>user\n<tool_response>\nParis population 2024: 2.05 million\n</tool_response><|im_end|>\n<|im_start|>assistant\n";
        string text = prompt0 + expected[0] + observations1 + expected[1] + observations2 + expected[2];
        Assert.Equal(text, Chat.Tokenizer.Decode(sequence.Ids));
        Assert.Equal(Chat.Encode(text), sequence.Ids);
    }

    [Fact]
    public void Split_sequence_trains_each_turn_once_in_the_templates_own_history()
    {
        var messages = ToolConversation(reasoning: false);
        var sft = new SftTokenizer(Chat, new SftTokenizerOptions { HistoryPolicy = TemplateHistoryPolicy.SplitSequence });
        var sequences = sft.Tokenize(ConversationMessage.FromMessages(messages), Tools);

        Assert.Equal(3, sequences.Count);
        int[] assistantIndex = [2, 5, 7];
        for (int k = 0; k < 3; k++)
        {
            var s = sequences[k];
            var span = Assert.Single(s.Spans, x => x.Kind == TokenSpanKind.Completion);
            Assert.Equal(k, span.TurnIndex);
            Assert.Equal(s.Length, span.End);
            // Context = what a server rendering the template for this turn sends: old turns without think blocks.
            string prompt = Chat.RenderPrompt(messages[..assistantIndex[k]], Tools);
            Assert.Equal(prompt, Chat.Tokenizer.Decode(s.Ids[..span.Start]));
            Assert.StartsWith(EmptyThink, Chat.Tokenizer.Decode(s.Ids[span.Start..]));
            SequenceAssertions.SpansAgreeWithMask(s);
        }
        Assert.DoesNotContain(EmptyThink + "<tool_call>", Chat.Tokenizer.Decode(sequences[2].Ids[..sequences[2].Spans[^1].Start]));
    }

    [Fact]
    public void A_trajectory_with_weight_zero_on_a_turn_keeps_its_tokens_but_masks_them_out()
    {
        var trajectory = TrajectoryOf(ToolConversation(reasoning: true), weightOfSecondTurn: 0);
        var weighted = Assert.Single(new SftTokenizer(Chat).Tokenize(trajectory));
        var plain = Assert.Single(new SftTokenizer(Chat).Tokenize(TrajectoryOf(ToolConversation(reasoning: true), weightOfSecondTurn: null)));

        Assert.Equal(plain.Ids, weighted.Ids);
        var second = weighted.Spans.Single(s => s.Kind == TokenSpanKind.Completion && s.TurnIndex == 1);
        Assert.Equal(0f, second.Weight);
        Assert.All(Enumerable.Range(second.Start, second.Length), t => Assert.Equal(0f, weighted.LossMask[t]));
        Assert.Equal(plain.TrainableTokenCount - second.Length, weighted.TrainableTokenCount);
        SequenceAssertions.SpansAgreeWithMask(weighted);
        Assert.Equal(trajectory.Id, weighted.SourceId);
    }

    [Fact]
    public void Max_length_keeps_the_first_tokens_and_reports_the_cut()
    {
        var messages = ConversationMessage.FromMessages(ToolConversation(reasoning: true));
        var whole = Assert.Single(new SftTokenizer(Chat).Tokenize(messages, Tools));
        int max = whole.Spans[1].Start + 5; // five tokens into the first completion
        var cut = Assert.Single(new SftTokenizer(Chat, new SftTokenizerOptions { MaxLength = max }).Tokenize(messages, Tools));

        Assert.Equal(max, cut.Length);
        Assert.Equal(whole.Length - max, cut.TruncatedTokenCount);
        Assert.Equal(whole.Ids[..max], cut.Ids);
        Assert.Equal(whole.LossMask[..max], cut.LossMask);
        Assert.Equal(5, cut.TrainableTokenCount);
        Assert.Equal(5, cut.Spans[^1].Length);
        Assert.Equal(0, whole.TruncatedTokenCount);
    }

    [Fact]
    public void A_new_user_query_makes_qwen3_drop_old_reasoning_which_keep_as_generated_keeps()
    {
        List<ChatMessage> messages =
        [
            ChatMessage.User("Think first: 9*9?"),
            new ChatMessage { Role = ChatRole.Assistant, Content = "81", Reasoning = "9*9=81" },
            ChatMessage.User("And 8*8?"),
            new ChatMessage { Role = ChatRole.Assistant, Content = "64", Reasoning = "8*8=64" },
        ];
        var conversation = ConversationMessage.FromMessages(messages);
        var e = Assert.Throws<TemplateMismatchException>(() => new SftTokenizer(Chat).Tokenize(conversation));
        Assert.Equal(1, e.MessageIndex);

        var sft = new SftTokenizer(Chat, new SftTokenizerOptions { HistoryPolicy = TemplateHistoryPolicy.KeepAsGenerated });
        var sequence = Assert.Single(sft.Tokenize(conversation));
        Assert.Equal(
            "<|im_start|>user\nThink first: 9*9?<|im_end|>\n<|im_start|>assistant\n<think>\n9*9=81\n</think>\n\n81<|im_end|>" +
            "\n<|im_start|>user\nAnd 8*8?<|im_end|>\n<|im_start|>assistant\n<think>\n8*8=64\n</think>\n\n64<|im_end|>",
            Chat.Tokenizer.Decode(sequence.Ids));
        Assert.Equal([Think("9*9=81") + "81<|im_end|>", Think("8*8=64") + "64<|im_end|>"], SequenceAssertions.CompletionTexts(Chat.Tokenizer, sequence));
    }

    [Fact]
    public void With_thinking_disabled_the_empty_think_block_is_prompt_not_target()
    {
        var chat = WithOptions(new ChatFormatterOptions { EnableThinking = false });
        var messages = ConversationMessage.FromMessages([ChatMessage.User("Say hi."), ChatMessage.Assistant("Hi!")]);
        var sequence = Assert.Single(new SftTokenizer(chat).Tokenize(messages));

        Assert.Equal(["Hi!<|im_end|>"], SequenceAssertions.CompletionTexts(chat.Tokenizer, sequence));
        Assert.EndsWith("<|im_start|>assistant\n" + EmptyThink, SequenceAssertions.ContextText(chat.Tokenizer, sequence));
    }

    [Fact]
    public void Reasoning_with_thinking_disabled_cannot_follow_the_prompt_and_fails_naming_the_message()
    {
        var chat = WithOptions(new ChatFormatterOptions { EnableThinking = false });
        var messages = ConversationMessage.FromMessages(
            [ChatMessage.User("Q"), new ChatMessage { Role = ChatRole.Assistant, Content = "A", Reasoning = "because" }]);
        var e = Assert.Throws<TemplateMismatchException>(() => new SftTokenizer(chat).Tokenize(messages));
        Assert.Equal(1, e.MessageIndex);
        Assert.Contains("does not start with the generation prompt", e.Message);
    }

    [Fact]
    public void A_conversation_without_assistant_turns_is_rejected_with_its_id()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new SftTokenizer(Chat).Tokenize(ConversationMessage.FromMessages([ChatMessage.User("hello")]), null, "ep-7"));
        Assert.Contains("ep-7", e.Message);
    }

    [Fact]
    public void Trajectory_and_message_inputs_tokenize_identically()
    {
        var messages = ToolConversation(reasoning: true);
        var fromMessages = Assert.Single(new SftTokenizer(Chat).Tokenize(ConversationMessage.FromMessages(messages), Tools));
        var fromTrajectory = Assert.Single(new SftTokenizer(Chat).Tokenize(TrajectoryOf(messages, weightOfSecondTurn: null)));
        Assert.Equal(fromMessages.Ids, fromTrajectory.Ids);
        Assert.Equal(fromMessages.LossMask, fromTrajectory.LossMask);
    }

    /// <summary>The messages as trajectory steps, with the tools; the second assistant turn gets the given weight.</summary>
    internal static Trajectory TrajectoryOf(List<ChatMessage> messages, int? weightOfSecondTurn)
    {
        var steps = new List<TrajectoryStep>();
        int turn = 0;
        foreach (var m in messages)
        {
            steps.Add(m.Role switch
            {
                ChatRole.System => new ObservationStep(Observation.System(m.Content!)),
                ChatRole.User => new ObservationStep(Observation.User(m.Content!)),
                ChatRole.Tool => new ObservationStep(Observation.Tool(m.ToolCallId!, m.Name!, m.Content!)),
                _ => new ActionStep(new AgentAction { Content = m.Content, Reasoning = m.Reasoning, ToolCalls = m.ToolCalls })
                {
                    Weight = turn++ == 1 ? weightOfSecondTurn : null,
                },
            });
        }
        return new Trajectory { Id = "traj-1", Tools = Tools, Steps = steps };
    }
}
