using Whetstone.Agents.Messages;

namespace Whetstone.Agents.Tests.Environments;

/// <summary>Renders a conversation as plain text, for comparing episodes and for the documentation excerpts.</summary>
internal static class Transcript
{
    public static string Render(IEnumerable<ChatMessage> messages)
    {
        var lines = new List<string>();
        foreach (var m in messages)
        {
            var role = m.Role.ToString().ToLowerInvariant();
            if (m.Content is not null)
                lines.Add($"{role}: {m.Content.Replace("\n", "\n    ")}");
            foreach (var call in m.ToolCalls)
                lines.Add($"{role}: {call.Name}({call.ArgumentsJson})");
        }
        return string.Join("\n", lines);
    }
}
