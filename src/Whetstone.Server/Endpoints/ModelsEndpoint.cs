using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Whetstone.Server.Endpoints;

/// <summary><c>GET /v1/models</c>: the one model this server serves.</summary>
internal static class ModelsEndpoint
{
    private static readonly long Started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static Task Handle(HttpContext context, string modelName)
    {
        var body = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = modelName,
                ["object"] = "model",
                ["created"] = Started,
                ["owned_by"] = "whetstone",
            }),
        };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(Protocol.WireJson.Options));
    }
}
