namespace Whetstone.Agents.Formats;

/// <summary>The record formats Whetstone reads and writes, by the names <c>whet convert</c> uses.</summary>
public static class TrajectoryFormats
{
    /// <summary>Every format: <c>whet</c>, <c>openai</c>, <c>sharegpt</c>, <c>adp</c>.</summary>
    public static IReadOnlyList<ITrajectoryFormat> All { get; } =
        [WhetTrajectoryFormat.Instance, OpenAiChatFormat.Instance, ShareGptFormat.Instance, AdpFormat.Instance];

    /// <summary>The format called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No format has that name; the message lists the known ones.</exception>
    public static ITrajectoryFormat ByName(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown format \"{name}\"; known formats: {string.Join(", ", All.Select(f => f.Name))}.");
}
