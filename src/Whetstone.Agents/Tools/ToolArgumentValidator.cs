using System.Globalization;
using System.Text.Json;

namespace Whetstone.Agents.Tools;

/// <summary>
/// Checks tool-call arguments against a tool's JSON Schema (<see cref="ToolDefinition.Parameters"/>) and says what is
/// wrong in words a model can act on, e.g. <c>argument "unit" must be one of ["C","F"], got "K"</c>.
/// Supports the subset of JSON Schema that tool definitions use: <c>type</c> (including type arrays), <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c>, <c>enum</c>, <c>const</c>, <c>items</c>, <c>minimum</c>/<c>maximum</c>
/// (and the exclusive forms), <c>minLength</c>/<c>maxLength</c> and <c>minItems</c>/<c>maxItems</c>.
/// Keywords it does not know are ignored, as a lenient validator should.
/// </summary>
public static class ToolArgumentValidator
{
    /// <summary>Every violation of <paramref name="schema"/> by <paramref name="arguments"/>; empty when valid.</summary>
    /// <param name="schema">The JSON Schema, normally <c>{"type":"object",…}</c>.</param>
    /// <param name="arguments">The parsed arguments.</param>
    public static IReadOnlyList<string> Validate(JsonElement schema, JsonElement arguments)
    {
        var errors = new List<string>();
        Check(schema, arguments, path: "", errors);
        return errors;
    }

    private static void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return; // `true` or an absent schema accepts anything.

        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, value))
        {
            errors.Add($"{Subject(path)} must be {TypePhrase(type)}, got {Describe(value)}");
            return; // Further checks would only repeat the type error.
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(a => JsonEquals(a, value)))
        {
            var list = string.Join(",", allowed.EnumerateArray().Select(a => a.GetRawText()));
            errors.Add($"{Subject(path)} must be one of [{list}], got {Describe(value)}");
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonEquals(constant, value))
            errors.Add($"{Subject(path)} must be {constant.GetRawText()}, got {Describe(value)}");

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                CheckNumber(schema, value, path, errors);
                break;
            case JsonValueKind.String:
                CheckLength(schema, value.GetString()!, path, errors);
                break;
            case JsonValueKind.Array:
                CheckArray(schema, value, path, errors);
                break;
            case JsonValueKind.Object:
                CheckObject(schema, value, path, errors);
                break;
        }
    }

    private static void CheckNumber(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        // Compare as double (1e400 is +infinity, which is beyond any bound) but quote the number as written.
        var number = value.GetDouble();
        var written = Describe(value);
        if (TryNumber(schema, "minimum", out var min) && number < min)
            errors.Add($"{Subject(path)} must be at least {Format(min)}, got {written}");
        if (TryNumber(schema, "maximum", out var max) && number > max)
            errors.Add($"{Subject(path)} must be at most {Format(max)}, got {written}");
        if (TryNumber(schema, "exclusiveMinimum", out var emin) && number <= emin)
            errors.Add($"{Subject(path)} must be greater than {Format(emin)}, got {written}");
        if (TryNumber(schema, "exclusiveMaximum", out var emax) && number >= emax)
            errors.Add($"{Subject(path)} must be less than {Format(emax)}, got {written}");
    }

    private static void CheckLength(JsonElement schema, string text, string path, List<string> errors)
    {
        if (TryNumber(schema, "minLength", out var min) && text.Length < min)
            errors.Add($"{Subject(path)} must have at least {Format(min)} characters, got {text.Length}");
        if (TryNumber(schema, "maxLength", out var max) && text.Length > max)
            errors.Add($"{Subject(path)} must have at most {Format(max)} characters, got {text.Length}");
    }

    private static void CheckArray(JsonElement schema, JsonElement array, string path, List<string> errors)
    {
        var count = array.GetArrayLength();
        if (TryNumber(schema, "minItems", out var min) && count < min)
            errors.Add($"{Subject(path)} must have at least {Format(min)} items, got {count}");
        if (TryNumber(schema, "maxItems", out var max) && count > max)
            errors.Add($"{Subject(path)} must have at most {Format(max)} items, got {count}");
        if (schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var element in array.EnumerateArray())
                Check(items, element, $"{path}[{i++}]", errors);
        }
    }

    private static void CheckObject(JsonElement schema, JsonElement obj, string path, List<string> errors)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties)
            && properties.ValueKind == JsonValueKind.Object;

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && !obj.TryGetProperty(name.GetString()!, out _))
                    errors.Add($"{Subject(Join(path, name.GetString()!))} is required");
            }
        }

        schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in obj.EnumerateObject())
        {
            var childPath = Join(path, property.Name);
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(propertySchema, property.Value, childPath, errors);
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                var names = hasProperties
                    ? string.Join(", ", properties.EnumerateObject().Select(p => $"\"{p.Name}\""))
                    : "none";
                errors.Add($"unexpected {Subject(childPath)}; allowed arguments: {names}");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Check(additional, property.Value, childPath, errors);
            }
        }
    }

    private static bool MatchesType(JsonElement type, JsonElement value) => type.ValueKind switch
    {
        JsonValueKind.String => MatchesType(type.GetString()!, value),
        JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && MatchesType(t.GetString()!, value)),
        _ => true,
    };

    private static bool MatchesType(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsInteger(value),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true, // An unknown type name is the schema author's problem, not the model's.
    };

    private static bool IsInteger(JsonElement number) =>
        number.TryGetDecimal(out var d) ? decimal.Truncate(d) == d : Math.Floor(number.GetDouble()) == number.GetDouble();

    private static string TypePhrase(JsonElement type)
    {
        static string One(string t) => t switch
        {
            "object" => "an object",
            "array" => "an array",
            "integer" => "an integer",
            "null" => "null",
            _ => $"a {t}",
        };
        return type.ValueKind == JsonValueKind.Array
            ? string.Join(" or ", type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => One(t.GetString()!)))
            : One(type.GetString() ?? "?");
    }

    private static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
            return false;
        return a.ValueKind switch
        {
            JsonValueKind.String => a.GetString() == b.GetString(),
            JsonValueKind.Number => a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetDouble() == b.GetDouble(),
            JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => true,
            JsonValueKind.Array => a.GetArrayLength() == b.GetArrayLength()
                && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => JsonEquals(p.First, p.Second)),
            JsonValueKind.Object => a.EnumerateObject().Count() == b.EnumerateObject().Count()
                && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var q) && JsonEquals(p.Value, q)),
            _ => false,
        };
    }

    private static bool TryNumber(JsonElement schema, string keyword, out double number)
    {
        number = 0;
        if (!schema.TryGetProperty(keyword, out var element) || element.ValueKind != JsonValueKind.Number)
            return false;
        number = element.GetDouble();
        return true;
    }

    private static string Subject(string path) => path.Length == 0 ? "arguments" : $"argument \"{path}\"";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Format(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The value as the model wrote it, cut short so that a huge argument does not flood the observation.</summary>
    internal static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "...";
    }
}
