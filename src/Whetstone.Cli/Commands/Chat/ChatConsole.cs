using Whetstone.Agents.Trajectories;

namespace Whetstone.Cli.Commands.Chat;

/// <summary>Prints turns of a conversation: the assistant's text and tool calls, and the observations that answer them.</summary>
internal sealed class ChatConsole(TextWriter output)
{
    public void Action(AgentAction action)
    {
        if (!string.IsNullOrWhiteSpace(action.Reasoning))
            output.WriteLine($"  (thinking) {action.Reasoning.Trim()}");
        if (!string.IsNullOrWhiteSpace(action.Content))
            output.WriteLine($"assistant: {action.Content.Trim()}");
        foreach (var call in action.ToolCalls)
            output.WriteLine($"assistant → {call.Name}({call.ArgumentsJson})");
        foreach (var bad in action.MalformedToolCalls)
            output.WriteLine($"assistant → malformed tool call: {bad.Error}");
        if (string.IsNullOrWhiteSpace(action.Content) && action.ToolCalls.Count == 0 && action.MalformedToolCalls.Count == 0)
            output.WriteLine("assistant: (empty reply)");
        output.Flush();
    }

    public void Observation(Observation observation)
    {
        var who = observation.Source switch
        {
            ObservationSource.Tool => $"tool {observation.Name}",
            ObservationSource.System => "system",
            ObservationSource.User => "user",
            _ => "environment",
        };
        var mark = observation.IsError ? " (error)" : "";
        output.WriteLine($"{who}{mark}: {observation.Content.Replace("\n", "\n    ")}");
        output.Flush();
    }

    public void Line(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }

    /// <summary>A prompt that waits on the same line for the user's input.</summary>
    public void Prompt(string text)
    {
        output.Write(text);
        output.Flush();
    }
}
