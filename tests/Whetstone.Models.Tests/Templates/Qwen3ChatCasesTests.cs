using System.Text.Json.Nodes;
using Whetstone.Models.Templates;

namespace Whetstone.Models.Tests.Templates;

/// <summary>
/// Every case in chat_cases.jsonl (rendered by transformers' apply_chat_template with the real
/// Qwen3 template) must come out byte for byte the same.
/// </summary>
public class Qwen3ChatCasesTests
{
    private static readonly ChatTemplate Template = ChatTemplate.FromTokenizerConfigFile(FixturePaths.Qwen3TokenizerConfig);

    public static TheoryData<int> CaseNumbers()
    {
        var data = new TheoryData<int>();
        int n = File.ReadLines(FixturePaths.Qwen3ChatCases).Count(l => l.Trim().Length > 0);
        for (int i = 0; i < n; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNumbers))]
    public void RendersExactlyAsTransformers(int caseNumber)
    {
        var line = File.ReadLines(FixturePaths.Qwen3ChatCases).Where(l => l.Trim().Length > 0).ElementAt(caseNumber);
        var c = JsonNode.Parse(line)!.AsObject();
        string rendered = Template.Render(
            c["messages"]!,
            c["tools"],
            c["add_generation_prompt"]?.GetValue<bool>() ?? false,
            c["enable_thinking"]?.GetValue<bool>());
        Assert.Equal(c["rendered"]!.GetValue<string>(), rendered);
    }

    [Fact]
    public void RendersExtendedReferenceCases()
    {
        // 96 more conversations rendered by reference Jinja2 (Fixtures/templates/make_qwen3_extended.py).
        var lines = File.ReadLines(FixturePaths.Template("qwen3_extended_cases.jsonl")).Where(l => l.Trim().Length > 0).ToList();
        Assert.True(lines.Count >= 90);
        foreach (var line in lines)
        {
            var node = JsonNode.Parse(line);
            var request = ChatTemplateRequest.FromJson(node);
            Assert.Equal(node!["rendered"]!.GetValue<string>(), Template.Render(request));
        }
    }

    [Fact]
    public void LoadsSpecialTokensFromConfig()
    {
        Assert.Equal("<|im_end|>", Template.EosToken);
        Assert.Null(Template.BosToken);
        Assert.Equal(["default"], Template.TemplateNames);
    }

    [Fact]
    public void StringToolArgumentsRenderLikeMappingArguments()
    {
        var asObject = JsonNode.Parse("""[{"role":"user","content":"q"},{"role":"assistant","content":"","tool_calls":[{"type":"function","function":{"name":"f","arguments":{"a":1,"b":"x"}}}]}]""")!;
        var asString = JsonNode.Parse("""[{"role":"user","content":"q"},{"role":"assistant","content":"","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{\"a\":1,\"b\":\"x\"}"}}]}]""")!;
        string expected = Template.Render(asObject);
        Assert.Contains("{\"name\": \"f\", \"arguments\": {\"a\": 1, \"b\": \"x\"}}", expected);
        Assert.Equal(expected, Template.Render(asString));

        string source = JsonNode.Parse(File.ReadAllText(FixturePaths.Qwen3TokenizerConfig))!["chat_template"]!.GetValue<string>();
        var raw = new ChatTemplate(source) { ParseStringToolArguments = false };
        Assert.Contains("\"arguments\": {\"a\":1,\"b\":\"x\"}}", raw.Render(asString));
    }

    [Fact]
    public void ContinueFinalMessageCutsAfterTheLastMessage()
    {
        var messages = JsonNode.Parse("""[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello th"}]""")!;
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello th",
            Template.Render(messages, continueFinalMessage: true));
        var trailing = JsonNode.Parse("""[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello "}]""")!;
        Assert.EndsWith("</think>\n\nHello ", Template.Render(trailing, continueFinalMessage: true));
        Assert.Throws<TemplateException>(() => Template.Render(messages, addGenerationPrompt: true, continueFinalMessage: true));
    }
}
