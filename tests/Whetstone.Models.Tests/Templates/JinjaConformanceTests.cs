using System.Text.Json.Nodes;
using Whetstone.Models.Templates;

namespace Whetstone.Models.Tests.Templates;

/// <summary>
/// Small templates whose expected output was produced by the reference Jinja2 3.1 configured as
/// transformers configures it (see Fixtures/templates/make_conformance.py). Cases where Jinja
/// raises must raise a <see cref="TemplateException"/> here too.
/// </summary>
public class JinjaConformanceTests
{
    private static readonly string CasesPath = FixturePaths.Template("jinja_conformance.jsonl");

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(CasesPath).Where(l => l.Trim().Length > 0))
            data.Add(JsonNode.Parse(line)!["name"]!.GetValue<string>());
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesReferenceJinja(string name)
    {
        var c = File.ReadLines(CasesPath).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject())
            .Single(o => o["name"]!.GetValue<string>() == name);
        string source = c["template"]!.GetValue<string>();
        var context = new Dictionary<string, object?>();
        foreach (var (k, v) in c["context"]!.AsObject()) context[k] = v;

        if (c["error"] is not null)
        {
            Assert.Throws<TemplateException>(() => new JinjaTemplate(source).Render(context));
            return;
        }
        Assert.Equal(c["expected"]!.GetValue<string>(), new JinjaTemplate(source).Render(context));
    }
}
