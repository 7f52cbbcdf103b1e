namespace Whetstone.Models.Templates;

/// <summary>
/// A compiled Jinja template, rendered as Hugging Face transformers renders chat templates:
/// trim_blocks and lstrip_blocks on, no autoescaping, loop controls (break/continue), the
/// <c>{% generation %}</c> tag, and the globals <c>raise_exception</c>, <c>strftime_now</c>,
/// <c>namespace</c>, <c>range</c> and <c>dict</c>. Values follow Python semantics.
/// </summary>
/// <remarks>
/// Parsing happens in the constructor, so unsupported tags, filters and tests fail at load time
/// with a <see cref="TemplateException"/> that names the construct and its line:column.
/// </remarks>
public sealed class JinjaTemplate
{
    private readonly IReadOnlyList<Node> _body;

    /// <summary>Parses <paramref name="source"/>; throws <see cref="TemplateException"/> on a syntax error or unsupported construct.</summary>
    public JinjaTemplate(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        _body = TemplateParser.Parse(source);
    }

    /// <summary>The template source as given.</summary>
    public string Source { get; }

    /// <summary>
    /// Renders with the given variables. Values may be JSON (<see cref="System.Text.Json.Nodes.JsonNode"/>,
    /// <see cref="System.Text.Json.JsonElement"/>) or plain .NET values: null, bool, integers, floating
    /// point numbers, strings, lists and string-keyed dictionaries (converted recursively).
    /// </summary>
    /// <param name="variables">Names visible to the template.</param>
    /// <param name="time">Clock for <c>strftime_now</c>; the system clock when null.</param>
    public string Render(IReadOnlyDictionary<string, object?> variables, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var converted = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in variables) converted[k] = TemplateValues.From(v);
        return new TemplateEvaluator(time ?? TimeProvider.System).Render(_body, converted);
    }
}
