using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Formats;

/// <summary>Trajectories that exercise every field of the contract.</summary>
internal static class SampleTrajectories
{
    public static ToolDefinition Calculator { get; } = new(
        "calculator", "Evaluates an arithmetic expression.",
        JsonDocument.Parse("""{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]}""").RootElement);

    public static ToolDefinition Search { get; } = new(
        "search", "Searches the web.",
        JsonDocument.Parse("""{"type":"object","properties":{"query":{"type":"string"},"k":{"type":"integer"}}}""").RootElement);

    /// <summary>Every field set, including token ids, log-probs, malformed calls, code, per-step rewards and metadata.</summary>
    public static Trajectory Full() => new()
    {
        Id = "calc-7",
        TaskId = "calc/test/7",
        Environment = "calc",
        Tools = [Calculator, Search],
        Steps =
        [
            new ObservationStep(Observation.System("You are a careful agent. ☺")),
            new ObservationStep(Observation.User("What is 12*7 + \"π\"?")),
            new ActionStep(new AgentAction
            {
                Content = "Let me compute.",
                Reasoning = "Multiply first.",
                ToolCalls = [new ToolCall("call_1", "calculator", """{"expression": "12*7"}"""),
                             new ToolCall("call_2", "search", """{"query":"pi","k":3}""")],
                MalformedToolCalls = [new MalformedToolCall("<tool_call>{bad", "arguments are not valid JSON")],
            })
            {
                TokenIds = [1, 2, 3, 151645],
                LogProbs = [-0.5f, -1.25f, -0.001f, 0f],
                Weight = 1,
                Reward = 0.1,
                Metadata = new JsonObject { ["note"] = "first turn" },
            },
            new ObservationStep(Observation.Tool("call_1", "calculator", "84")) { Reward = 0.0 },
            new ObservationStep(new Observation { Source = ObservationSource.Tool, ToolCallId = "call_2", Name = "search",
                Content = """{"results":["3.14159"]}""", IsJson = true }),
            new ObservationStep(new Observation { Source = ObservationSource.Environment,
                Content = "Malformed tool call: arguments are not valid JSON", IsError = true }),
            new ActionStep(new AgentAction { Code = new CodeBlock("python", "print(84 + 3.14159)") }) { Weight = 0 },
            new ObservationStep(new Observation { Source = ObservationSource.Environment, Content = "87.14159" }),
            new ActionStep(AgentAction.Say("The answer is 87.14159.")) { Reward = 1.0 },
        ],
        Reward = 1.1,
        Success = true,
        Status = EpisodeStatus.Truncated,
        StatusDetail = "max turns",
        Metrics = new Dictionary<string, double> { ["turns"] = 3, ["regret"] = double.NaN },
        Metadata = new JsonObject { ["seed"] = 7, ["tags"] = new JsonArray("a", "b") },
    };

    /// <summary>A chat with tool calls that every format can hold exactly (tool names on tool outputs, no extras).</summary>
    public static Trajectory Chat() => new()
    {
        Id = "chat-1",
        Tools = [Calculator],
        Steps =
        [
            new ObservationStep(Observation.System("Be brief.")),
            new ObservationStep(Observation.User("12*7?")),
            new ActionStep(AgentAction.Call(new ToolCall("call_a", "calculator", """{"expression":"12*7"}"""))),
            new ObservationStep(Observation.Tool("call_a", "calculator", "84")),
            new ActionStep(AgentAction.Say("84")),
        ],
    };
}
