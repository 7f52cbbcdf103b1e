using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Policies;

/// <summary>A policy that plays back a script: each call takes the next step, which either answers or throws.</summary>
internal sealed class ScriptedPolicy(params Func<IReadOnlyList<ChatMessage>, PolicyResponse>[] script) : IPolicy
{
    private int _calls;

    public int Calls => _calls;

    public static Func<IReadOnlyList<ChatMessage>, PolicyResponse> Says(string text) =>
        _ => new PolicyResponse { Action = AgentAction.Say(text), FinishReason = "stop", PromptTokens = 10, CompletionTokens = 2 };

    public static Func<IReadOnlyList<ChatMessage>, PolicyResponse> Fails(Exception error) => _ => throw error;

    public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var i = Interlocked.Increment(ref _calls) - 1;
        if (i >= script.Length) throw new InvalidOperationException($"ScriptedPolicy called {i + 1} times but scripted for {script.Length}.");
        return Task.FromResult(script[i](messages));
    }
}
