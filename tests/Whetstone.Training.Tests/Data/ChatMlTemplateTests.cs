using System.Text.Json.Nodes;
using Whetstone.Models.Templates;
using Whetstone.Training.Data;

namespace Whetstone.Training.Tests.Data;

/// <summary>
/// The ChatML template renders exactly as reference Jinja2 does in transformers' configuration
/// (Fixtures/chatml/chatml_cases.jsonl, made by make_chatml_cases.py from the template's source).
/// </summary>
public class ChatMlTemplateTests
{
    public static TheoryData<int> CaseNumbers()
    {
        var data = new TheoryData<int>();
        for (int i = 1; i <= File.ReadLines(CasesPath).Count(); i++) data.Add(i);
        return data;
    }

    private static string CasesPath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "chatml", "chatml_cases.jsonl");

    [Theory]
    [MemberData(nameof(CaseNumbers))]
    public void Renders_as_reference_jinja2(int line)
    {
        var json = JsonNode.Parse(File.ReadLines(CasesPath).ElementAt(line - 1))!;
        var request = ChatTemplateRequest.FromJson(json);
        var template = new ChatTemplate(ChatMlTemplate.Source, new Dictionary<string, string> { ["eos_token"] = "<|im_end|>", ["pad_token"] = "<|endoftext|>" });
        Assert.Equal(json["rendered"]!.GetValue<string>(), template.Render(request));
    }
}
