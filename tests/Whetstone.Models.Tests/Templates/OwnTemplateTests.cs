using System.Text.Json.Nodes;
using Whetstone.Models.Templates;

namespace Whetstone.Models.Tests.Templates;

/// <summary>
/// Two real-world-shaped templates written for these tests (Fixtures/templates): a Llama-3.1-style
/// one loaded from tokenizer_config.json + chat_template.jinja, and a SmolLM3-style ChatML one given
/// as a list of named templates. Expected strings were derived by hand from the template text.
/// </summary>
public class OwnTemplateTests
{
    private static readonly FixedTimeProvider Clock = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    private const string WeatherTool = """{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    private static ChatTemplate Llama()
    {
        var t = ChatTemplate.FromDirectory(FixturePaths.Template("llama3_style"));
        t.Time = Clock;
        return t;
    }

    [Fact]
    public void LlamaStyle_LoadsTemplateFromJinjaFileAndTokensFromConfig()
    {
        var t = ChatTemplate.FromDirectory(FixturePaths.Template("llama3_style"));
        Assert.Equal("<|begin_of_text|>", t.BosToken);
        Assert.Equal("<|eot_id|>", t.EosToken);
    }

    [Fact]
    public void LlamaStyle_SystemToolsAndGenerationPrompt()
    {
        var messages = JsonNode.Parse("""[{"role":"system","content":"  You are helpful.  "},{"role":"user","content":"What's the weather in Paris?"}]""")!;
        string rendered = Llama().Render(messages, JsonNode.Parse($"[{WeatherTool}]"), addGenerationPrompt: true);
        const string expected =
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\nToday Date: 21 Nov 2026\n\n"
            + "Call a function by replying with JSON {\"name\": ..., \"parameters\": {...}}.\n\n"
            + "{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"get_weather\",\n        \"parameters\": {\n"
            + "            \"type\": \"object\",\n            \"properties\": {\n                \"city\": {\n                    \"type\": \"string\"\n"
            + "                }\n            },\n            \"required\": [\n                \"city\"\n            ]\n        }\n    }\n}\n\n"
            + "You are helpful.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat's the weather in Paris?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void LlamaStyle_ToolCallRoundTripWithContentPartsAndStringArguments()
    {
        var messages = JsonNode.Parse("""
            [{"role":"user","content":[{"type":"text","text":" Hi "},{"type":"image"},{"type":"text","text":"there\n"}]},
             {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"c1","content":"18C"},
             {"role":"assistant","content":"It is 18C."}]
            """)!;
        var extra = new Dictionary<string, JsonNode?> { ["date_string"] = "26 Jul 2024" };
        string rendered = Llama().Render(messages, tools: null, addGenerationPrompt: false, extraKwargs: extra);
        const string expected =
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi\nthere<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}<|eot_id|>"
            + "<|start_header_id|>ipython<|end_header_id|>\n\n{\"output\": \"18C\"}<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nIt is 18C.<|eot_id|>";
        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void LlamaStyle_StringArgumentsWithARepeatedKeyRenderTheLastValue()
    {
        // A model can write {"city": "Oslo", "city": "Paris"}; rendering the conversation for its next turn must not
        // throw, and Python's json.loads (what transformers renders) keeps the key's first position and last value.
        var messages = JsonNode.Parse("""
            [{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\",\"unit\":\"c\",\"city\":\"Paris\"}"}}]}]
            """)!;
        var extra = new Dictionary<string, JsonNode?> { ["date_string"] = "26 Jul 2024" };
        string rendered = Llama().Render(messages, tools: null, addGenerationPrompt: false, extraKwargs: extra);
        Assert.Contains("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\", \"unit\": \"c\"}}", rendered);
    }

    [Fact]
    public void LlamaStyle_RaiseExceptionSurfacesTheTemplatesMessage()
    {
        var messages = JsonNode.Parse("""[{"role":"assistant","tool_calls":[{"function":{"name":"a","arguments":{}}},{"function":{"name":"b","arguments":{}}}]}]""")!;
        var e = Assert.Throws<TemplateException>(() => Llama().Render(messages));
        Assert.Equal("Only one tool call per turn is supported.", e.Reason);
        Assert.True(e.Line > 0);
    }

    private static ChatTemplate ChatMl() => ChatTemplate.FromTokenizerConfigFile(FixturePaths.Template("chatml_style/tokenizer_config.json"));

    [Fact]
    public void ChatMlStyle_PicksDefaultWithoutToolsAndToolUseWithTools()
    {
        var t = ChatMl();
        Assert.Equal(["default", "tool_use"], t.TemplateNames.Order());
        var messages = JsonNode.Parse("""[{"role":"system","content":"S"},{"role":"user","content":"U"}]""")!;
        Assert.Equal("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n",
            t.Render(messages, addGenerationPrompt: true));
        Assert.StartsWith("<|im_start|>system\n## Metadata", t.Render(messages, JsonNode.Parse("[]"), addGenerationPrompt: true));
    }

    [Fact]
    public void ChatMlStyle_ToolUseConversation()
    {
        var messages = JsonNode.Parse("""
            [{"role":"system","content":"Be kind. /no_think"},{"role":"user","content":"Weather?"},
             {"role":"assistant","content":"","tool_calls":[{"type":"function","function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
             {"role":"tool","content":"18C"},{"role":"assistant","content":"Sunny."}]
            """)!;
        var tools = JsonNode.Parse("""[{"type":"function","function":{"name":"get_weather","description":"Get weather.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""");
        const string expected =
            "<|im_start|>system\n## Metadata\n\nReasoning Mode: /no_think\n\n## Instructions\n\nBe kind.\n\n## Tools\n\n- get_weather(city): Get weather.\n\n<|im_end|>\n"
            + "<|im_start|>user\nWeather?<|im_end|>\n"
            + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call><|im_end|>\n"
            + "<|im_start|>user\n<tool_response>\n18C\n</tool_response><|im_end|>\n"
            + "<|im_start|>assistant\nSunny.<|im_end|>\n"
            + "<|im_start|>assistant\n<think>\n\n</think>\n";
        Assert.Equal(expected, ChatMl().Render(messages, tools, addGenerationPrompt: true));
    }

    [Theory]
    [InlineData(null, "/think", "")]
    [InlineData(true, "/think", "")]
    [InlineData(false, "/no_think", "<think>\n\n</think>\n")]
    public void ChatMlStyle_EnableThinkingFlag(bool? enableThinking, string mode, string suffix)
    {
        var messages = JsonNode.Parse("""[{"role":"user","content":"Hi"}]""")!;
        string rendered = ChatMl().Render(messages, addGenerationPrompt: true, enableThinking: enableThinking, templateName: "tool_use");
        Assert.Equal($"<|im_start|>system\n## Metadata\n\nReasoning Mode: {mode}\n\n<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n{suffix}", rendered);
    }
}
