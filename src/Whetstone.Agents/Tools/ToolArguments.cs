using System.Text.Json;

namespace Whetstone.Agents.Tools;

/// <summary>
/// Reads validated arguments in handlers. JSON Schema counts <c>2.0</c> as an integer, but
/// <see cref="JsonElement.GetInt32"/> rejects it; these readers accept every value the validator accepts.
/// </summary>
public static class ToolArguments
{
    /// <summary>The integer argument <paramref name="name"/> (schema type <c>integer</c>, within int range).</summary>
    /// <exception cref="KeyNotFoundException">The argument is absent: the schema should have required it.</exception>
    /// <exception cref="FormatException">It is not an integer in int range: the schema should have bounded it.</exception>
    public static int GetInt32(JsonElement arguments, string name)
    {
        var value = arguments.GetProperty(name);
        if (value.TryGetInt32(out var exact))
            return exact;
        if (value.TryGetDecimal(out var number) && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
            return (int)number;
        throw new FormatException($"Argument \"{name}\" is {value.GetRawText()}, not an integer in int range.");
    }
}
