using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace Whetstone.Training.Recipes;

/// <summary>
/// Maps a YAML mapping onto an init-only config record: <c>snake_case</c> keys → <c>PascalCase</c> properties,
/// scalars by the property's type (numbers, bools, enums by name, strings, string lists), nested records
/// recursively starting from the property's current value. Unknown keys and bad values name the key and file:line.
/// </summary>
public static class RecipeBinder
{
    /// <summary>Returns a copy of <paramref name="start"/> with the mapping's keys applied.</summary>
    /// <param name="start">The defaults (e.g. <c>new SftConfig()</c>); not modified.</param>
    /// <param name="map">The recipe section.</param>
    /// <param name="doc">The document (for error locations).</param>
    /// <param name="prefix">The dotted path of <paramref name="map"/>, e.g. <c>sft</c>.</param>
    public static T Bind<T>(T start, YamlMappingNode map, RecipeDocument doc, string prefix) where T : class =>
        (T)BindObject(start, typeof(T), map, doc, prefix);

    /// <summary>The property a snake_case key maps to, or null.</summary>
    public static PropertyInfo? PropertyFor(Type type, string key)
    {
        string flat = key.Replace("_", "", StringComparison.Ordinal);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => IsRecipeKey(p) && string.Equals(p.Name, flat, StringComparison.OrdinalIgnoreCase));
    }

    private static object BindObject(object start, Type type, YamlMappingNode map, RecipeDocument doc, string prefix)
    {
        object target = Clone(start, type);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value ?? "";
            string dotted = prefix.Length == 0 ? key : $"{prefix}.{key}";
            var prop = PropertyFor(type, key) ?? throw new RecipeException(
                $"{doc.Where(keyNode)}: unknown key '{dotted}' ({type.Name} has: {string.Join(", ", KeysOf(type))})");
            prop.SetValue(target, Convert(prop.PropertyType, prop.GetValue(target), valueNode, doc, dotted));
        }
        return target;
    }

    /// <summary>The snake_case keys a type accepts.</summary>
    public static IEnumerable<string> KeysOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(IsRecipeKey).Select(p => Snake(p.Name));

    // Runtime-only settings (a progress sink) are [JsonIgnore]d out of checkpoints, and likewise out of recipes.
    private static bool IsRecipeKey(PropertyInfo p) =>
        p.CanWrite && p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null;

    /// <summary><c>LearningRate</c> → <c>learning_rate</c>.</summary>
    public static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]))) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static object? Convert(Type type, object? current, YamlNode node, RecipeDocument doc, string dotted)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (node is YamlMappingNode map)
        {
            if (type.IsClass && type != typeof(string) && !IsStringList(type))
                return BindObject(current ?? Activator.CreateInstance(type)!, type, map, doc, dotted);
            throw Bad(doc, node, dotted, $"expected a {Describe(type)}, got a mapping");
        }
        if (IsStringList(type))
        {
            if (node is YamlSequenceNode seq)
                return seq.Children.Select(c => c is YamlScalarNode s ? s.Value ?? "" : throw Bad(doc, c, dotted, "expected a list of strings")).ToArray();
            if (node is YamlScalarNode one) return new[] { one.Value ?? "" };
        }
        if (node is not YamlScalarNode scalar) throw Bad(doc, node, dotted, $"expected a {Describe(type)}, got a list");
        string text = scalar.Value ?? "";
        if (IsNull(scalar))
        {
            if (underlying is not null || !type.IsValueType) return null;
            throw Bad(doc, node, dotted, $"expected a {Describe(type)}, got null");
        }
        var t = underlying ?? type;
        var inv = CultureInfo.InvariantCulture;
        object? value = t switch
        {
            _ when t == typeof(string) => text,
            _ when t == typeof(int) => int.TryParse(text, NumberStyles.Integer, inv, out var i) ? i : null,
            _ when t == typeof(long) => long.TryParse(text, NumberStyles.Integer, inv, out var l) ? l : null,
            _ when t == typeof(ulong) => ulong.TryParse(text, NumberStyles.Integer, inv, out var u) ? u : null,
            _ when t == typeof(float) => float.TryParse(text, NumberStyles.Float, inv, out var f) && float.IsFinite(f) ? f : null,
            _ when t == typeof(double) => double.TryParse(text, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d : null,
            _ when t == typeof(bool) => text switch { "true" or "True" or "TRUE" => true, "false" or "False" or "FALSE" => false, _ => null },
            _ when t.IsEnum => ParseEnum(t, text),
            _ => throw Bad(doc, node, dotted, $"cannot be set from a recipe ({t.Name})"),
        };
        return value ?? throw Bad(doc, node, dotted, $"'{text}' is not a valid {Describe(type)}");
    }

    private static bool IsNull(YamlScalarNode s) =>
        s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static object? ParseEnum(Type t, string text)
    {
        string flat = text.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return Enum.GetNames(t).FirstOrDefault(n => string.Equals(n, flat, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse(t, name) : null;
    }

    private static bool IsStringList(Type t) =>
        t == typeof(string[]) || t == typeof(IReadOnlyList<string>) || t == typeof(IList<string>) || t == typeof(List<string>);

    private static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum) return $"{t.Name} (one of: {string.Join(", ", Enum.GetNames(t).Select(Snake))})";
        if (IsStringList(t)) return "list of strings";
        return t == typeof(int) || t == typeof(long) || t == typeof(ulong) ? "integer"
            : t == typeof(float) || t == typeof(double) ? "number"
            : t == typeof(bool) ? "boolean (true/false)" : t.Name;
    }

    private static RecipeException Bad(RecipeDocument doc, YamlNode node, string dotted, string what) =>
        new($"{doc.Where(node)}: {dotted}: {what}");

    private static object Clone(object value, Type type)
    {
        // Records expose their copy constructor as <Clone>$; plain classes get their public properties copied.
        var clone = type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance);
        if (clone is not null) return clone.Invoke(value, null)!;
        var copy = Activator.CreateInstance(type)!;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.CanRead))
            p.SetValue(copy, p.GetValue(value));
        return copy;
    }
}
