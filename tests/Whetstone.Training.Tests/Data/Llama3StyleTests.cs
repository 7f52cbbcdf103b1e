using System.IO.Compression;
using Whetstone.Agents.Messages;
using Whetstone.Models.Templates;
using Whetstone.Models.Tokenization;
using Whetstone.Training.Data;

namespace Whetstone.Training.Tests.Data;

/// <summary>
/// Nothing is ChatML-specific: a Llama-3.1-style template (header tokens, <c>&lt;|eot_id|&gt;</c>, BOS written by the
/// template, one JSON call per turn) with the real Llama 3 tokenizer.
/// </summary>
public class Llama3StyleTests
{
    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2025, 7, 1, 12, 0, 0, TimeSpan.Zero);
    }

    private static readonly Lazy<ChatFormatter> Shared = new(() =>
    {
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        using var gz = new GZipStream(File.OpenRead(Path.Combine(fixtures, "llama3", "tokenizer.json.gz")), CompressionMode.Decompress);
        var tokenizer = Tokenizer.FromStream(gz, "llama3/tokenizer.json");
        var template = ChatTemplate.FromDirectory(Path.Combine(fixtures, "llama3_style"));
        template.Time = new FixedClock(); // the template prints today's date; every rendering must agree
        return new ChatFormatter(tokenizer, template);
    });

    [Fact]
    public void The_mask_ends_on_eot_id_and_bos_appears_once()
    {
        var chat = Shared.Value;
        Assert.Equal("<|eot_id|>", chat.EndOfTurnToken);

        List<ChatMessage> messages =
        [
            ChatMessage.System("Use tools."),
            ChatMessage.User("What is 17*23?"),
            ChatMessage.Assistant(null, new ToolCall("c1", "calculator", """{"expression": "17*23"}""")),
            ChatMessage.Tool("c1", "calculator", "391"),
            ChatMessage.Assistant("It is 391."),
        ];
        var sequence = Assert.Single(new SftTokenizer(chat).Tokenize(ConversationMessage.FromMessages(messages), Qwen3Conversations.Tools));

        string[] expected = ["{\"name\": \"calculator\", \"parameters\": {\"expression\": \"17*23\"}}<|eot_id|>", "It is 391.<|eot_id|>"];
        Assert.Equal(expected, SequenceAssertions.CompletionTexts(chat.Tokenizer, sequence));
        SequenceAssertions.MaskedTokensDecodeTo(chat.Tokenizer, sequence, expected);
        SequenceAssertions.SpansAgreeWithMask(sequence);
        Assert.Contains("{\"output\": \"391\"}", SequenceAssertions.ContextText(chat.Tokenizer, sequence));

        int bos = chat.Tokenizer.TokenToId("<|begin_of_text|>")!.Value;
        Assert.Equal(bos, sequence.Ids[0]);
        Assert.Single(sequence.Ids, id => id == bos);

        string full = chat.Render(messages, Qwen3Conversations.Tools);
        Assert.Equal(full, chat.Tokenizer.Decode(sequence.Ids)); // nothing after the last <|eot_id|> in this template
        Assert.Equal(chat.Encode(full), sequence.Ids);
    }
}
