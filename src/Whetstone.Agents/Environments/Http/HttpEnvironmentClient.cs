using System.Net.Http.Json;
using System.Text.Json;

namespace Whetstone.Agents.Environments.Http;

/// <summary>
/// Sends protocol requests to an environment server and reads the answers. Transport failures and answers that
/// break the protocol become exceptions that name the endpoint: they are infrastructure errors, not agent errors.
/// </summary>
internal sealed class HttpEnvironmentClient(HttpClient http, Uri baseUri)
{
    internal Uri BaseUri { get; } = baseUri;

    internal async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, CancellationToken ct)
        where TResponse : class =>
        (await SendAsync<TRequest, TResponse>(path, body, notFoundIsNull: false, ct).ConfigureAwait(false))!;

    internal async Task<TResponse> GetAsync<TResponse>(string pathAndQuery, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(BaseUri, pathAndQuery), ct).ConfigureAwait(false);
        return await ReadAsync<TResponse>(response, pathAndQuery, ct).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="PostAsync{TRequest, TResponse}"/> but returns null when the server answers 404.</summary>
    internal Task<TResponse?> PostOptionalAsync<TRequest, TResponse>(string path, TRequest body, CancellationToken ct)
        where TResponse : class =>
        SendAsync<TRequest, TResponse>(path, body, notFoundIsNull: true, ct);

    private async Task<TResponse?> SendAsync<TRequest, TResponse>(string path, TRequest body, bool notFoundIsNull, CancellationToken ct)
        where TResponse : class
    {
        using var content = JsonContent.Create(body, options: HttpEnvironmentWire.Json);
        using var response = await http.PostAsync(new Uri(BaseUri, path), content, ct).ConfigureAwait(false);
        if (notFoundIsNull && response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return null;
        return await ReadAsync<TResponse>(response, path, ct).ConfigureAwait(false);
    }

    private async Task<TResponse> ReadAsync<TResponse>(HttpResponseMessage response, string path, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var excerpt = text.Length > 300 ? text[..300] + "…" : text;
            throw new HttpRequestException(
                $"HTTP environment {new Uri(BaseUri, path)} answered {(int)response.StatusCode} {response.ReasonPhrase}: {excerpt}",
                null,
                response.StatusCode);
        }
        try
        {
            return JsonSerializer.Deserialize<TResponse>(text, HttpEnvironmentWire.Json)
                ?? throw new InvalidDataException($"HTTP environment {new Uri(BaseUri, path)} answered null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"HTTP environment {new Uri(BaseUri, path)} answered invalid JSON at {e.Path ?? "$"}: {e.Message}", e);
        }
    }
}
