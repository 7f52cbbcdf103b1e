using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Training.Data;

namespace Whetstone.Training.Tests.Data;

/// <summary>The real Qwen3 tokenizer + chat template (loaded once) and tool conversations to tokenize.</summary>
internal static class Qwen3Conversations
{
    private static readonly Lazy<ChatFormatter> Shared = new(() => ChatFormatter.FromDirectory(FixtureDirectory));

    public static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "qwen3");

    public static ChatFormatter Chat => Shared.Value;

    public static ChatFormatter WithOptions(ChatFormatterOptions options) => new(Chat.Tokenizer, Chat.Template, options);

    public static readonly IReadOnlyList<ToolDefinition> Tools =
    [
        ToolDefinition.Create("calculator", "Evaluate an arithmetic expression.",
            """{"type": "object", "properties": {"expression": {"type": "string"}}, "required": ["expression"]}"""),
        ToolDefinition.Create("search", "Search the knowledge base.",
            """{"type": "object", "properties": {"query": {"type": "string"}, "k": {"type": "integer"}}, "required": ["query"]}"""),
    ];

    public const string SystemText = "You are a careful assistant. Use tools.";
    public const string User = "What is 17*23, and how many people live in Paris?";
    public const string Tool1 = "391";
    public const string Tool2 = "Paris: 2.1 million (2023)";
    public const string Tool3 = "Paris population 2024: 2.05 million";
    public const string Final = "17*23 = 391, and about 2.1 million people live in Paris.";

    /// <summary>
    /// system, user, assistant (two parallel calls), two tool outputs, assistant (content + one call), tool output,
    /// final answer. With <paramref name="reasoning"/>, every assistant turn carries reasoning_content.
    /// </summary>
    public static List<ChatMessage> ToolConversation(bool reasoning)
    {
        return
        [
            ChatMessage.System(SystemText),
            ChatMessage.User(User),
            new ChatMessage
            {
                Role = ChatRole.Assistant,
                Content = null,
                Reasoning = reasoning ? "I need the product and the population; call both tools." : null,
                ToolCalls = [new ToolCall("c1", "calculator", """{"expression": "17*23"}"""), new ToolCall("c2", "search", """{"query":"Paris population","k":1}""")],
            },
            ChatMessage.Tool("c1", "calculator", Tool1),
            ChatMessage.Tool("c2", "search", Tool2),
            new ChatMessage
            {
                Role = ChatRole.Assistant,
                Content = "Let me check a newer figure.",
                Reasoning = reasoning ? "The figure is from 2023; look for a newer one." : null,
                ToolCalls = [new ToolCall("c3", "search", """{"query": "Paris population 2024"}""")],
            },
            ChatMessage.Tool("c3", "search", Tool3),
            new ChatMessage { Role = ChatRole.Assistant, Content = Final, Reasoning = reasoning ? "Both numbers agree." : null },
        ];
    }

    /// <summary>The two parallel calls of the first turn as Qwen3 writes them.</summary>
    public const string FirstTurnCalls =
        "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"17*23\"}}\n</tool_call>\n" +
        "<tool_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"Paris population\", \"k\": 1}}\n</tool_call>";

    public const string SecondTurnCall = "<tool_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"Paris population 2024\"}}\n</tool_call>";
}
