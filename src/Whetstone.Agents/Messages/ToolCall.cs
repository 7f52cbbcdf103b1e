namespace Whetstone.Agents.Messages;

/// <summary>
/// One call of a tool by the agent. The arguments are kept as the exact JSON text the model produced,
/// so that converting to and from OpenAI's <c>tool_calls</c> (whose <c>arguments</c> is a string) is lossless.
/// </summary>
/// <param name="Id">Identifier that the tool's observation answers (OpenAI <c>tool_call_id</c>).</param>
/// <param name="Name">The tool's name.</param>
/// <param name="ArgumentsJson">The arguments as JSON text, normally an object such as <c>{"expression":"2+2"}</c>.</param>
public sealed record ToolCall(string Id, string Name, string ArgumentsJson);

/// <summary>
/// Text the model meant as a tool call but that could not be read as one (bad JSON, no name, …).
/// It is kept so that the environment can answer it with an observation that says what was wrong.
/// </summary>
/// <param name="RawText">The text as the model wrote it.</param>
/// <param name="Error">What was wrong with it, phrased for the model to read.</param>
public sealed record MalformedToolCall(string RawText, string Error);
