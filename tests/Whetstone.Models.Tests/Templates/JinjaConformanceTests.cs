using System.Text.Json.Nodes;
using Whetstone.Models.Templates;

namespace Whetstone.Models.Tests.Templates;

/// <summary>
/// Templates whose expected output was produced by the reference Jinja2 3.1 configured as
/// transformers configures it: hand-picked constructs (make_conformance.py) and seeded random
/// templates (make_fuzz_cases.py), both under Fixtures/templates. Cases where Jinja raises must
/// raise a <see cref="TemplateException"/> here too.
/// </summary>
public class JinjaConformanceTests
{
    private static IEnumerable<JsonObject> Cases(string file) =>
        File.ReadLines(FixturePaths.Template(file)).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject());

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases("jinja_conformance.jsonl")) data.Add(c["name"]!.GetValue<string>());
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesReferenceJinja(string name) =>
        Check(Cases("jinja_conformance.jsonl").Single(o => o["name"]!.GetValue<string>() == name));

    [Fact]
    public void MatchesReferenceJinjaOnRandomTemplates()
    {
        var failures = new List<string>();
        int n = 0;
        foreach (var c in Cases("jinja_fuzz_cases.jsonl"))
        {
            n++;
            try { Check(c); }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or TemplateException)
            {
                failures.Add($"{c["name"]}: {c["template"]!.ToJsonString()} -> {e.Message}");
            }
        }
        Assert.True(n >= 1000, $"expected the fuzz fixture to hold 1000+ cases, found {n}");
        Assert.True(failures.Count == 0, $"{failures.Count}/{n} random templates differ from Jinja:\n" + string.Join("\n", failures.Take(10)));
    }

    private static void Check(JsonObject c)
    {
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
