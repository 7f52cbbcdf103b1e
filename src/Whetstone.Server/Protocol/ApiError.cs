using System.Text.Json.Nodes;

namespace Whetstone.Server.Protocol;

/// <summary>
/// A request the server refuses, with the HTTP status and OpenAI's error body
/// <c>{"error": {"message", "type", "param", "code"}}</c>.
/// </summary>
public sealed class ApiError(int status, string message, string? param = null, string? code = null, string? type = null)
    : Exception(message)
{
    /// <summary>HTTP status code.</summary>
    public int Status { get; } = status;

    /// <summary>The request field at fault, e.g. <c>messages[1].role</c>, or null.</summary>
    public string? Param { get; } = param;

    /// <summary>A machine-readable code such as <c>invalid_json</c>, or null.</summary>
    public string? Code { get; } = code;

    /// <summary>OpenAI's error type: <c>invalid_request_error</c>, <c>authentication_error</c>, <c>not_found_error</c>, <c>server_error</c>.</summary>
    public string Type { get; } = type ?? status switch
    {
        401 => "authentication_error",
        404 => "not_found_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>400 naming the field.</summary>
    public static ApiError Invalid(string param, string message) => new(400, $"{param}: {message}", param, "invalid_value");

    /// <summary>The JSON body.</summary>
    public JsonObject ToJson() => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = Message,
            ["type"] = Type,
            ["param"] = Param,
            ["code"] = Code,
        },
    };
}
