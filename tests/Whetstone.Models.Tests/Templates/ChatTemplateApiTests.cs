using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Models.Templates;

namespace Whetstone.Models.Tests.Templates;

/// <summary>What ChatTemplate passes to the template, how it loads configs and how requests are read.</summary>
public class ChatTemplateApiTests
{
    private static readonly JsonNode OneUser = JsonNode.Parse("""[{"role":"user","content":"hi"}]""")!;

    [Fact]
    public void PassesWhatTransformersPasses()
    {
        var t = new ChatTemplate(
            "{{ tools is none }} {{ documents is none }} {{ add_generation_prompt }} {{ enable_thinking is defined }} {{ bos_token }} {{ eos_token is defined }}",
            new Dictionary<string, string> { ["bos_token"] = "<s>" });
        Assert.Equal("True True True False <s> False", t.Render(OneUser, addGenerationPrompt: true));
        Assert.StartsWith("False", t.Render(OneUser, JsonNode.Parse("[]")));
    }

    [Fact]
    public void EnableThinkingIsPassedOnlyWhenGiven()
    {
        var t = new ChatTemplate("{{ enable_thinking is defined }}/{{ enable_thinking }}");
        Assert.Equal("False/", t.Render(OneUser));
        Assert.Equal("True/False", t.Render(OneUser, enableThinking: false));
    }

    [Fact]
    public void ExtraKwargsOverrideSpecialTokens()
    {
        var t = new ChatTemplate("{{ bos_token }}{{ custom }}", new Dictionary<string, string> { ["bos_token"] = "<s>" });
        var extra = new Dictionary<string, JsonNode?> { ["bos_token"] = "[B]", ["custom"] = JsonNode.Parse("[1, 2]") };
        Assert.Equal("[B][1, 2]", t.Render(OneUser, extraKwargs: extra));
    }

    [Fact]
    public void ConfigWithNamedTemplatesAndAddedTokenObjects()
    {
        var config = JsonNode.Parse("""
            {"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>", "unk_token": null,
             "chat_template": [{"name": "default", "template": "D{{ bos_token }}"}, {"name": "tool_use", "template": "T{{ tools | length }}"}]}
            """)!.AsObject();
        var t = ChatTemplate.FromTokenizerConfig(config);
        Assert.Equal("<s>", t.BosToken);
        Assert.Equal("</s>", t.EosToken);
        Assert.Equal("D<s>", t.Render(OneUser));
        Assert.Equal("T0", t.Render(OneUser, JsonNode.Parse("[]")));
        Assert.Equal("D<s>", t.Render(OneUser, JsonNode.Parse("[]"), templateName: "default"));
        Assert.Throws<TemplateException>(() => t.Render(OneUser, templateName: "nope"));
    }

    [Fact]
    public void ConfigErrorsNameTheField()
    {
        var missing = Assert.Throws<TemplateException>(() => ChatTemplate.FromTokenizerConfig(new JsonObject()));
        Assert.Contains("'chat_template'", missing.Message);
        var bad = Assert.Throws<TemplateException>(() => ChatTemplate.FromTokenizerConfig(JsonNode.Parse("""{"chat_template": "{% if %}"}""")!.AsObject()));
        Assert.Contains("'chat_template'", bad.Message);
        Assert.Equal(1, bad.Line);
    }

    [Fact]
    public void JsonElementOverloadMatchesJsonNode()
    {
        var t = new ChatTemplate("{% for m in messages %}{{ m.role }}:{{ m.content }}{% endfor %}{{ tools | length }}");
        using var doc = JsonDocument.Parse("""{"m":[{"role":"user","content":"hi"}],"t":[{"type":"function"}]}""");
        Assert.Equal("user:hi1", t.Render(doc.RootElement.GetProperty("m"), doc.RootElement.GetProperty("t")));
    }

    [Fact]
    public void RequestFromJsonReadsChatCaseLines()
    {
        var r = ChatTemplateRequest.FromJson(JsonNode.Parse("""
            {"messages":[{"role":"user","content":"x"}],"tools":null,"add_generation_prompt":true,"enable_thinking":false,
             "chat_template_kwargs":{"custom":1},"rendered":"ignored","ids":[1]}
            """));
        Assert.Single(r.Messages);
        Assert.Null(r.Tools);
        Assert.True(r.AddGenerationPrompt);
        Assert.False(r.EnableThinking);
        Assert.Equal(1, r.ExtraKwargs!["custom"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("""{"tools":[]}""", "field 'messages'")]
    [InlineData("""{"messages":[{"content":"x"}]}""", "field 'messages[0]'")]
    [InlineData("""{"messages":[],"tools":{}}""", "field 'tools'")]
    [InlineData("""{"messages":[],"add_generation_prompt":"yes"}""", "field 'add_generation_prompt'")]
    [InlineData("""{"messages":[],"enable_thinking":1}""", "field 'enable_thinking'")]
    [InlineData("""{"messages":[],"chat_template_kwargs":[]}""", "field 'chat_template_kwargs'")]
    public void RequestErrorsNameTheField(string json, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<FormatException>(() => ChatTemplateRequest.FromJson(JsonNode.Parse(json))).Message);

    [Fact]
    public void StrftimeNowUsesTheGivenClock()
    {
        var t = new ChatTemplate("{{ strftime_now('%d %b %Y, %A %H:%M') }}") { Time = new FixedTimeProvider(new DateTimeOffset(2024, 7, 26, 9, 5, 0, TimeSpan.Zero)) };
        Assert.Equal("26 Jul 2024, Friday 09:05", t.Render(OneUser));
    }
}
