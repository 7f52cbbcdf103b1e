using System.Text.Encodings.Web;
using System.Text.Json;

namespace Whetstone.Server.Protocol;

/// <summary>How response JSON is written: non-ASCII text as UTF-8, not <c>\uXXXX</c> escapes (as OpenAI and vLLM send it).</summary>
internal static class WireJson
{
    /// <summary>Serializer options for every response body and chunk.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
