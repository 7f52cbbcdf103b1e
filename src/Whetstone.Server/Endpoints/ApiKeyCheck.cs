using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Whetstone.Server.Protocol;

namespace Whetstone.Server.Endpoints;

/// <summary>Runs a handler only for requests with <c>Authorization: Bearer KEY</c> when a key is set (401 otherwise).</summary>
internal sealed class ApiKeyCheck(string? apiKey)
{
    private readonly byte[]? _key = apiKey is null ? null : Encoding.UTF8.GetBytes(apiKey);

    public Task Run(HttpContext context, Func<Task> handler)
    {
        if (_key is not null)
        {
            string header = context.Request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            var given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()) : [];
            if (!CryptographicOperations.FixedTimeEquals(given, _key))
                return ErrorWriter.Write(context, new ApiError(401,
                    header.Length == 0 ? "Missing API key: send Authorization: Bearer <key>." : "Incorrect API key provided.",
                    null, "invalid_api_key"));
        }
        return handler();
    }
}
