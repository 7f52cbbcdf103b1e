using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Models.Tokenization.Training;
using Whetstone.Training.Data;
using static Whetstone.Training.Tests.Data.Qwen3Conversations;

namespace Whetstone.Training.Tests.Data;

/// <summary>
/// A from-scratch model's tokenizer (trained here by BpeTrainer) with the ChatML template written by
/// <see cref="ChatMlTokenizerConfig"/>: what the demo uses.
/// </summary>
public sealed class TinyChatMlTests(TinyChatMlTests.TinyModelDirectory tiny) : IClassFixture<TinyChatMlTests.TinyModelDirectory>
{
    /// <summary>A tokenizer trained once for the class, written with its tokenizer_config.json into a temp directory.</summary>
    public sealed class TinyModelDirectory : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"whet-tiny-chatml-{Guid.NewGuid():N}");

        public ChatFormatter Chat { get; }

        public TinyModelDirectory()
        {
            var corpus = new List<string>();
            foreach (var reasoning in new[] { false, true })
                corpus.Add(Qwen3Conversations.Chat.Render(ToolConversation(reasoning), Tools)); // realistic chat material
            corpus.Add("The quick brown fox jumps over the lazy dog. Paris has about two million people.");
            var trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = 600 }).Train(corpus);
            ChatMlTokenizerConfig.WriteTokenizerFiles(Path, trained, modelMaxLength: 512);
            Chat = ChatFormatter.FromDirectory(Path);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private readonly string _directory = tiny.Path;
    private readonly ChatFormatter _chat = tiny.Chat;

    [Fact]
    public void The_directory_holds_an_hf_style_tokenizer_config_with_the_chatml_template()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "tokenizer_config.json")))!.AsObject();
        Assert.Equal("<|im_end|>", config["eos_token"]!.GetValue<string>());
        Assert.Equal("<|endoftext|>", config["pad_token"]!.GetValue<string>());
        Assert.Null(config["bos_token"]);
        Assert.Equal(ChatMlTemplate.Source, config["chat_template"]!.GetValue<string>());
        Assert.Equal(512, config["model_max_length"]!.GetValue<int>());
        int imEnd = _chat.Tokenizer.TokenToId("<|im_end|>")!.Value;
        Assert.Equal("<|im_end|>", config["added_tokens_decoder"]![imEnd.ToString()]!["content"]!.GetValue<string>());
        Assert.True(config["added_tokens_decoder"]![imEnd.ToString()]!["special"]!.GetValue<bool>());
        Assert.False(config["added_tokens_decoder"]![_chat.Tokenizer.TokenToId("<tool_call>")!.Value.ToString()]!["special"]!.GetValue<bool>());
        Assert.Equal("<|im_end|>", _chat.EndOfTurnToken);
        Assert.Equal("<|im_end|>", _chat.Tokenizer.EosToken);
        Assert.False(Directory.EnumerateFiles(_directory, "*.tmp-*").Any());
    }

    [Fact]
    public void The_template_renders_chatml()
    {
        List<ChatMessage> messages = [ChatMessage.System("S"), ChatMessage.User("U"), ChatMessage.Assistant("A")];
        Assert.Equal("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n", _chat.Render(messages));
        Assert.Equal("<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n", _chat.RenderPrompt([ChatMessage.User("U")]));
        string withTools = _chat.RenderPrompt(ToolConversation(false)[..2], Tools);
        Assert.StartsWith("<|im_start|>system\n" + SystemText + "\n\n# Tools\n", withTools);
        Assert.Contains("\n{\"type\": \"function\", \"function\": {\"name\": \"calculator\"", withTools);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tool_conversations_tokenize_strictly_into_one_sequence_equal_to_the_whole_rendering(bool reasoning)
    {
        var messages = ToolConversation(reasoning);
        var sequence = Assert.Single(new SftTokenizer(_chat).Tokenize(ConversationMessage.FromMessages(messages), Tools));

        string Think(int i) => reasoning ? $"<think>\n{messages[i].Reasoning}\n</think>\n\n" : "";
        string[] expected =
        [
            Think(2) + FirstTurnCalls + "<|im_end|>",
            Think(5) + "Let me check a newer figure.\n" + SecondTurnCall + "<|im_end|>",
            Think(7) + Final + "<|im_end|>",
        ];
        Assert.Equal(expected, SequenceAssertions.CompletionTexts(_chat.Tokenizer, sequence));
        SequenceAssertions.MaskedTokensDecodeTo(_chat.Tokenizer, sequence, expected);
        SequenceAssertions.SpansAgreeWithMask(sequence);
        string context = SequenceAssertions.ContextText(_chat.Tokenizer, sequence);
        foreach (var text in new[] { SystemText, User, Tool1, Tool2, Tool3 })
            Assert.Contains(text, context);

        string through = _chat.Render(messages, Tools)[..^1];
        Assert.Equal(through, _chat.Tokenizer.Decode(sequence.Ids));
        Assert.Equal(_chat.Encode(through), sequence.Ids);

        // Token-in/token-out with the tokenizer's own ids gives the same sequence.
        var generated = new List<ConversationMessage>();
        var spans = sequence.Spans.Where(s => s.Kind == TokenSpanKind.Completion).ToList();
        int turn = 0;
        foreach (var m in messages)
            generated.Add(m.Role == ChatRole.Assistant
                ? new ConversationMessage(m) { TokenIds = sequence.Ids[spans[turn].Start..spans[turn++].End] }
                : new ConversationMessage(m));
        var rl = new RolloutSequenceBuilder(_chat).Build(generated, Tools);
        Assert.Equal(sequence.Ids, rl.Ids);
        Assert.Equal(sequence.LossMask, rl.LossMask);
        Assert.Null(rl.OldLogProbs);
    }

    [Fact]
    public void Reasoning_survives_a_new_user_query_so_multi_query_chats_stay_strict()
    {
        List<ChatMessage> messages =
        [
            ChatMessage.User("9*9?"),
            new ChatMessage { Role = ChatRole.Assistant, Content = "81", Reasoning = "9*9=81" },
            ChatMessage.User("8*8?"),
            new ChatMessage { Role = ChatRole.Assistant, Content = "64", Reasoning = "8*8=64" },
        ];
        var sequence = Assert.Single(new SftTokenizer(_chat).Tokenize(ConversationMessage.FromMessages(messages)));
        Assert.Equal(["<think>\n9*9=81\n</think>\n\n81<|im_end|>", "<think>\n8*8=64\n</think>\n\n64<|im_end|>"],
            SequenceAssertions.CompletionTexts(_chat.Tokenizer, sequence));
    }

    [Fact]
    public void Piecewise_ids_differ_from_whole_text_ids_only_where_the_reply_starts_with_a_newline()
    {
        // The header ends with "\n"; a reply that starts with "\n" would merge with it into one "\n\n" token if the
        // whole text were encoded at once. At generation time the prompt's "\n" is already a token of its own, so the
        // piecewise ids are the ones the model really sees and produces.
        var messages = ConversationMessage.FromMessages([ChatMessage.User("Hi"), ChatMessage.Assistant("\nHello there")]);
        var sequence = Assert.Single(new SftTokenizer(_chat).Tokenize(messages));
        string through = _chat.Render(messages.Select(m => m.Message))[..^1];
        Assert.Equal(through, _chat.Tokenizer.Decode(sequence.Ids));
        Assert.NotEqual(_chat.Encode(through), sequence.Ids);
        Assert.Equal(["\nHello there<|im_end|>"], SequenceAssertions.CompletionTexts(_chat.Tokenizer, sequence));

        var plain = ConversationMessage.FromMessages([ChatMessage.User("Hi"), ChatMessage.Assistant(" Hello there")]);
        var aligned = Assert.Single(new SftTokenizer(_chat).Tokenize(plain));
        Assert.Equal(_chat.Encode(_chat.Render(plain.Select(m => m.Message))[..^1]), aligned.Ids);
    }

    [Fact]
    public void A_tokenizer_without_chatml_tokens_is_rejected()
    {
        var trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = 300, SpecialTokens = ["<|endoftext|>"] }).Train(["hello world"]);
        var e = Assert.Throws<ArgumentException>(() => ChatMlTokenizerConfig.Create(trained.ToTokenizer()));
        Assert.Contains("<|im_start|>", e.Message);
    }
}
