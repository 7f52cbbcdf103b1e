using System.Globalization;

namespace Whetstone.Agents.Environments;

/// <summary>
/// A setting of a registered environment, e.g. the tictactoe <c>opponent</c>. Values are text, as typed on the command
/// line; an option either takes one of <see cref="AllowedValues"/> or an integer in [<see cref="Min"/>, <see cref="Max"/>].
/// </summary>
/// <param name="Name">The option's name, e.g. <c>opponent</c>.</param>
/// <param name="Description">What it changes.</param>
/// <param name="Default">The value used when it is not given.</param>
public sealed record EnvironmentOption(string Name, string Description, string Default)
{
    /// <summary>The values a choice option accepts; empty for an integer option.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>Smallest value of an integer option.</summary>
    public int? Min { get; init; }

    /// <summary>Largest value of an integer option.</summary>
    public int? Max { get; init; }

    /// <summary>A choice among <paramref name="allowed"/>.</summary>
    public static EnvironmentOption Choice(string name, string description, string @default, params string[] allowed) =>
        new(name, description, @default) { AllowedValues = allowed };

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static EnvironmentOption Integer(string name, string description, int @default, int min, int max) =>
        new(name, description, @default.ToString(CultureInfo.InvariantCulture)) { Min = min, Max = max };

    /// <summary>The accepted values in words, e.g. <c>random|minimax</c> or <c>2..10</c>.</summary>
    public string ValuesText => AllowedValues.Count > 0 ? string.Join("|", AllowedValues) : $"{Min}..{Max}";

    /// <summary>Null when <paramref name="value"/> is acceptable, else why not.</summary>
    public string? Check(string value)
    {
        if (AllowedValues.Count > 0)
            return AllowedValues.Contains(value, StringComparer.OrdinalIgnoreCase)
                ? null
                : $"option \"{Name}\" must be one of {ValuesText}, got \"{value}\"";
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            return $"option \"{Name}\" must be an integer, got \"{value}\"";
        if (number < Min || number > Max)
            return $"option \"{Name}\" must be in {ValuesText}, got {number}";
        return null;
    }
}
