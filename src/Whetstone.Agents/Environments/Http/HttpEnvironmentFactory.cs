using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Environments.Http;

/// <summary>
/// Environments served over HTTP (docs/http-environment.md). Tasks come from the server's <c>GET /tasks</c>, and
/// the expert from its optional <c>POST /expert</c>.
/// </summary>
public sealed class HttpEnvironmentFactory : IEnvironmentFactory
{
    private readonly HttpEnvironmentClient _client;

    /// <summary>Connects to the environment server at <paramref name="baseUri"/> (e.g. <c>http://127.0.0.1:8000/</c>).</summary>
    /// <param name="baseUri">Where the server listens; the protocol paths are resolved against it.</param>
    /// <param name="http">The client to send with; its time-out bounds each call. A new one is made when null.</param>
    /// <param name="name">Name to report; defaults to <c>http</c> until <see cref="ConnectAsync"/> reads the server's.</param>
    public HttpEnvironmentFactory(Uri baseUri, HttpClient? http = null, string name = "http")
    {
        var root = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _client = new HttpEnvironmentClient(http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(60) }, root);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; private set; }

    /// <inheritdoc />
    public string Description { get; private set; } = "An environment served over HTTP.";

    /// <summary>Reads the server's name and description from <c>GET /info</c>.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        var info = await _client.GetAsync<WireInfoResponse>("info", cancellationToken).ConfigureAwait(false);
        Name = string.IsNullOrEmpty(info.Name) ? Name : info.Name;
        Description = info.Description ?? Description;
    }

    /// <inheritdoc />
    public IReadOnlyList<EnvironmentTask> Tasks(DataSplit split, int count, int offset = 0)
    {
        var splitName = split == DataSplit.Train ? "train" : "test";
        var response = _client
            .GetAsync<WireTasksResponse>($"tasks?split={splitName}&count={count}&offset={offset}", CancellationToken.None)
            .GetAwaiter().GetResult();
        var tasks = (response.Tasks ?? []).Select((t, i) => HttpEnvironmentWire.FromWire(t, $"/tasks.tasks[{i}]")).ToList();
        foreach (var t in tasks.Where(t => t.Split != split))
            throw HttpEnvironmentWire.Invalid($"/tasks task {t.Id}", "split", $"is {t.Split}, but {splitName} was asked for");
        return tasks;
    }

    /// <inheritdoc />
    public IEnvironment Create() => new HttpEnvironment(_client, Name);

    /// <inheritdoc />
    public IPolicy CreateExpert(IEnvironment environment) =>
        environment is HttpEnvironment http
            ? new ServerExpert(http)
            : throw new ArgumentException("The expert of an HTTP environment works only with an HttpEnvironment it created.", nameof(environment));

    /// <summary>The server's own expert, reached through <c>POST /expert</c>.</summary>
    private sealed class ServerExpert(HttpEnvironment environment) : IPolicy
    {
        public async Task<PolicyResponse> RespondAsync(
            IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null, CancellationToken cancellationToken = default)
        {
            var action = await environment.ExpertActionAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new NotSupportedException($"The HTTP environment '{environment.Name}' has no expert (POST /expert answered 404).");
            return new PolicyResponse { Action = action, FinishReason = action.ToolCalls.Count > 0 ? "tool_calls" : "stop" };
        }
    }
}
