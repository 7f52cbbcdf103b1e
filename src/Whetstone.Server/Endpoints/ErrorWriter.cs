using Microsoft.AspNetCore.Http;
using Whetstone.Server.Protocol;

namespace Whetstone.Server.Endpoints;

/// <summary>Writes an <see cref="ApiError"/> as OpenAI's error body with its status.</summary>
internal static class ErrorWriter
{
    public static Task Write(HttpContext context, ApiError error)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(error.ToJson().ToJsonString(Protocol.WireJson.Options));
    }
}
