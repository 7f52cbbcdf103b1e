using Whetstone.Server.Replies;

namespace Whetstone.Server.Tests.Replies;

/// <summary>
/// The streaming contract: whatever the pieces the text arrives in, the deltas sent while generating plus the rest
/// sent at the end add up to exactly the final parse (content and reasoning).
/// </summary>
public sealed class ReplyStreamTests
{
    public static TheoryData<string, bool, string[]> Replies => new()
    {
        { "The answer is 7.", false, [] },
        { "  \n Hello there \n", false, [] },
        { "Let me check.\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"3+4\"}}\n</tool_call>", false, [] },
        { "<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>\nthen text <tool_call>{\"name\": \"b\", \"arguments\": {}}</tool_call>", false, [] },
        { "<think>\nI should add.\n</think>\n\nIt is 7.", false, [] },
        { "I should add.\n</think>\n\nIt is 7.", true, [] },
        { "thinking that never ends", true, [] },
        { "not reasoning </think> but content", false, [] },
        { "One. Two. STOP three.", false, ["STOP"] },
        { "abc <tool_call>{broken</tool_call> tail", false, [] },
        { "x < y and <tool_ca", false, ["<tool"] },
        { "", false, [] },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void Deltas_add_up_to_the_final_parse_for_any_split(string text, bool promptOpensReasoning, string[] stop)
    {
        var parser = new ReplyParser("<think>", "</think>", stop, "call_t_");
        var final = parser.Parse(text, promptOpensReasoning);
        foreach (int piece in new[] { 1, 2, 3, 7, 1000 })
        {
            var stream = new ReplyStream(parser, promptOpensReasoning);
            string reasoning = "", content = "";
            for (int i = 0; i < text.Length; i += piece)
            {
                var (r, c) = stream.Append(text.Substring(i, Math.Min(piece, text.Length - i)));
                reasoning += r;
                content += c;
            }
            var (reply, reasoningRest, contentRest) = stream.Finish();
            Assert.Equal(final, reply with { ToolCalls = final.ToolCalls });
            Assert.Equal(final.Content ?? "", content + contentRest);
            Assert.Equal(final.Reasoning ?? "", reasoning + reasoningRest);
            Assert.Equal(final.ToolCalls, reply.ToolCalls);
        }
    }

    [Fact]
    public void Content_streams_before_the_end_and_markup_is_held_back()
    {
        var stream = new ReplyStream(new ReplyParser("<think>", "</think>", [], "call_"), promptOpensReasoning: false);
        Assert.Equal(("", "Hello"), stream.Append("Hello"));
        Assert.Equal(("", " world"), stream.Append(" world <tool"));
        Assert.Equal(("", ""), stream.Append("_call>{\"name\":"));
        Assert.Equal(("", ""), stream.Append(" \"f\", \"arguments\": {}}</tool_call>"));
        var (reply, _, rest) = stream.Finish();
        Assert.Equal("Hello world", reply.Content);
        Assert.Equal("", rest);
        Assert.Equal("f", Assert.Single(reply.ToolCalls).Name);
    }

    [Fact]
    public void Reasoning_streams_as_reasoning_then_content()
    {
        var stream = new ReplyStream(new ReplyParser("<think>", "</think>", [], "call_"), promptOpensReasoning: false);
        Assert.Equal(("", ""), stream.Append("<thi"));
        Assert.Equal(("Add", ""), stream.Append("nk>\nAdd"));
        Assert.Equal((" them", ""), stream.Append(" them\n</think>\n\n"));
        Assert.Equal(("", "7"), stream.Append("7"));
    }
}
