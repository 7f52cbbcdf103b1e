using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Whetstone.Training.Recipes;

/// <summary>
/// A recipe's YAML mapping with the command-line overrides applied. Keeps where every value came from
/// (file:line, or the override text) so that errors can say it.
/// </summary>
public sealed class RecipeDocument
{
    private readonly HashSet<YamlNode> _fromOverride = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<YamlNode, string> _overrideText = new(ReferenceEqualityComparer.Instance);

    private RecipeDocument(string source, YamlMappingNode root)
    {
        Source = source;
        Root = root;
    }

    /// <summary>The recipe file's path (or a name for text recipes).</summary>
    public string Source { get; }

    /// <summary>The top-level mapping.</summary>
    public YamlMappingNode Root { get; }

    /// <summary>Reads a recipe file and applies <paramref name="overrides"/> (<c>key=value</c>, dotted keys for nested).</summary>
    public static RecipeDocument Load(string path, IEnumerable<string>? overrides = null)
    {
        if (!File.Exists(path)) throw new RecipeException($"recipe not found: {path}");
        return Parse(File.ReadAllText(path), path, overrides);
    }

    /// <summary>Parses recipe text; <paramref name="source"/> names it in errors.</summary>
    public static RecipeDocument Parse(string yaml, string source, IEnumerable<string>? overrides = null)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new RecipeException($"{source}:{e.Start.Line}: invalid YAML: {e.InnerException?.Message ?? e.Message}"); }
        YamlMappingNode root = stream.Documents.Count == 0 ? new YamlMappingNode()
            : stream.Documents[0].RootNode as YamlMappingNode ?? throw new RecipeException($"{source}:1: a recipe must be a mapping of keys to values");
        var doc = new RecipeDocument(source, root);
        foreach (var o in overrides ?? []) doc.Override(o);
        return doc;
    }

    /// <summary>Sets <c>a.b.c=value</c>; the value is read with the YAML scalar rules (numbers, true/false, null, [lists]).</summary>
    public void Override(string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new RecipeException($"override '{assignment}': expected key=value (e.g. sft.learning_rate=1e-3)");
        string[] path = assignment[..eq].Trim().Split('.');
        if (path.Any(string.IsNullOrWhiteSpace)) throw new RecipeException($"override '{assignment}': empty key segment");
        YamlNode value = ParseValue(assignment[(eq + 1)..], assignment);
        _fromOverride.Add(value);
        _overrideText[value] = assignment;
        var map = Root;
        for (int i = 0; i < path.Length - 1; i++)
        {
            var key = new YamlScalarNode(path[i]);
            if (map.Children.TryGetValue(key, out var child) && child is YamlMappingNode m) { map = m; continue; }
            var created = new YamlMappingNode();
            _overrideText[created] = assignment;
            _overrideText[key] = assignment;
            map.Children[key] = created;
            map = created;
        }
        var leaf = new YamlScalarNode(path[^1]);
        _overrideText[leaf] = assignment;
        map.Children.Remove(leaf);
        map.Children.Add(leaf, value);
    }

    /// <summary>"file:line" for a node from the file, or "override 'k=v'" for one from the command line.</summary>
    public string Where(YamlNode node) =>
        _overrideText.TryGetValue(node, out var text) ? $"override '{text}'"
            : $"{Source}:{node.Start.Line.ToString(CultureInfo.InvariantCulture)}";

    private static YamlNode ParseValue(string text, string assignment)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new RecipeException($"override '{assignment}': invalid value: {e.Message}"); }
        return stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
    }
}
