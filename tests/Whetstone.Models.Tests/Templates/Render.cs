using System.Text.Json.Nodes;
using Whetstone.Models.Templates;

namespace Whetstone.Models.Tests.Templates;

/// <summary>Renders a template with variables given as one JSON object.</summary>
internal static class Render
{
    public static string Of(string source, string variablesJson = "{}")
    {
        var vars = new Dictionary<string, object?>();
        foreach (var (k, v) in JsonNode.Parse(variablesJson)!.AsObject()) vars[k] = v;
        return new JinjaTemplate(source).Render(vars);
    }
}
