using Whetstone.Agents.Messages;
using Whetstone.Training.Data;
using static Whetstone.Training.Tests.Data.Qwen3Conversations;

namespace Whetstone.Training.Tests.Data;

/// <summary>The rendering contract and assistant parsing, against the real Qwen3 template.</summary>
public class ChatFormatterTests
{
    [Fact]
    public void The_end_of_turn_token_of_qwen3_is_found_from_the_template()
    {
        Assert.Equal("<|im_end|>", Chat.EndOfTurnToken);
        Assert.Equal(151645, Chat.EndOfTurnTokenId);
        Assert.Equal([151645], Chat.StopTokenIds); // eos_token is <|im_end|> too
    }

    [Fact]
    public void Messages_render_as_transformers_renders_the_openai_shape()
    {
        // chat_cases.jsonl case 4 (rendered by transformers): a tool-only turn with content "" and a tool reply.
        List<ChatMessage> messages =
        [
            ChatMessage.System("Use tools."),
            ChatMessage.User("What is 17*23?"),
            ChatMessage.Assistant(null, new ToolCall("c1", "calculator", """{"expression": "17*23"}""")),
            ChatMessage.Tool("c1", "calculator", "391"),
            ChatMessage.Assistant("The answer is 391."),
        ];
        string rendered = Chat.Render(messages, Tools);
        Assert.Contains("<|im_start|>system\nUse tools.\n\n# Tools\n", rendered);
        Assert.EndsWith(
            "<|im_start|>user\nWhat is 17*23?<|im_end|>\n<|im_start|>assistant\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"17*23\"}}\n</tool_call><|im_end|>\n" +
            "<|im_start|>user\n<tool_response>\n391\n</tool_response><|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nThe answer is 391.<|im_end|>\n",
            rendered);
        var json = TemplateJson.Message(messages[2]);
        Assert.Equal("", json["content"]!.GetValue<string>());
        Assert.Equal("function", json["tool_calls"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("c1", TemplateJson.Message(messages[3])["tool_call_id"]!.GetValue<string>());
    }

    [Fact]
    public void Generated_text_parses_into_reasoning_content_and_tool_calls()
    {
        var action = Chat.ParseAssistant(
            "<think>\nNeed both.\n</think>\n\nChecking.\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"17*23\"}}\n</tool_call>\n" +
            "<tool_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"Paris\"}}\n</tool_call><|im_end|>");
        Assert.Equal("Need both.", action.Reasoning);
        Assert.Equal("Checking.", action.Content);
        Assert.Equal(["calculator", "search"], action.ToolCalls.Select(c => c.Name));
        Assert.Equal("call_0", action.ToolCalls[0].Id);
        Assert.Empty(action.MalformedToolCalls);
    }

    [Fact]
    public void Parsing_handles_a_prompt_opened_think_block_empty_reasoning_and_bad_calls()
    {
        var opened = Chat.ParseAssistant("step by step\n</think>\n\n42<|im_end|>");
        Assert.Equal("step by step", opened.Reasoning);
        Assert.Equal("42", opened.Content);

        var empty = Chat.ParseAssistant("<think>\n\n</think>\n\nHi");
        Assert.Null(empty.Reasoning);
        Assert.Equal("Hi", empty.Content);

        var bad = Chat.ParseAssistant("<tool_call>\n{\"name\": \"calculator\", \"arguments\": 7}\n</tool_call><|im_end|>ignored");
        Assert.Empty(bad.ToolCalls);
        Assert.Single(bad.MalformedToolCalls);
    }

    [Fact]
    public void Parsing_the_tokens_of_a_rendered_turn_gives_back_a_turn_that_renders_the_same()
    {
        var messages = ToolConversation(reasoning: true);
        var sequence = Assert.Single(new SftTokenizer(Chat).Tokenize(ConversationMessage.FromMessages(messages), Tools));
        var completions = sequence.Spans.Where(s => s.Kind == TokenSpanKind.Completion).ToList();
        int[] assistantAt = [2, 5, 7];
        for (int k = 0; k < 3; k++)
        {
            var parsed = Chat.ParseAssistant(sequence.Ids[completions[k].Start..completions[k].End]).ToMessage();
            var history = messages[..assistantAt[k]];
            Assert.Equal(Chat.Render([.. history, messages[assistantAt[k]]], Tools), Chat.Render([.. history, parsed], Tools));
        }
    }

    [Fact]
    public void An_end_of_turn_token_that_is_not_one_token_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => WithOptions(new ChatFormatterOptions { EndOfTurnToken = "</end>" }));
        Assert.Contains("</end>", e.Message);
    }
}
