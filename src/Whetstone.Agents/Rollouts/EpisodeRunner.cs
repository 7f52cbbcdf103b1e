using System.Text.Json.Nodes;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Rollouts;

/// <summary>
/// Runs one episode top to bottom: Reset → (policy turn → environment step)* until done or a limit. Every failure of
/// the policy, the environment or the factory becomes an <see cref="EpisodeStatus.InfrastructureError"/> trajectory;
/// only cancellation of the whole rollout escapes as an exception.
/// </summary>
internal sealed class EpisodeRunner(IEnvironmentFactory factory, PolicySource policies, RolloutOptions options)
{
    public async Task<Trajectory> RunAsync(RolloutEpisode episode, CancellationToken cancellationToken)
    {
        var steps = new List<TrajectoryStep>();
        var messages = new List<ChatMessage>();
        EnvironmentReset? reset = null;
        double reward = 0;
        int turns = 0, generatedTokens = 0;
        string stage = "create";
        try
        {
            var environment = factory.Create();
            stage = "policy creation";
            var policy = policies.Create(environment, episode);

            stage = "reset";
            reset = await WithTimeout(ct => environment.ResetAsync(episode.Task, ct).AsTask(), cancellationToken).ConfigureAwait(false);
            AddObservations(reset.Observations, steps, messages);
            while (turns < options.MaxTurns)
            {
                var sampling = options.Sampling with { Seed = episode.TurnSeed(turns) };
                if (options.MaxGeneratedTokens is int budget && budget - generatedTokens < sampling.MaxTokens)
                    sampling = sampling with { MaxTokens = budget - generatedTokens };
                var callOptions = new PolicyOptions { Tools = reset.Tools, Sampling = sampling };

                stage = $"policy call (turn {turns + 1})";
                var response = await WithTimeout(ct => policy.RespondAsync(messages, callOptions, ct), cancellationToken).ConfigureAwait(false);
                turns++;
                generatedTokens += response.CompletionTokens ?? response.TokenIds?.Count ?? 0;
                var action = response.Action;
                messages.Add(action.ToMessage());
                int actionIndex = steps.Count;
                steps.Add(new ActionStep(action) { TokenIds = response.TokenIds, LogProbs = response.LogProbs, Weight = response.Weight });

                stage = $"environment step (turn {turns})";
                var step = await WithTimeout(ct => environment.StepAsync(action, ct).AsTask(), cancellationToken).ConfigureAwait(false);
                reward += step.Reward;
                steps[actionIndex] = steps[actionIndex] with { Reward = step.Reward };
                AddObservations(step.Observations, steps, messages);

                if (step.Done)
                    return Finish(episode, reset, steps, EpisodeStatus.Completed, null, reward, step.Success, step.Metrics, turns, generatedTokens);
                if (options.MaxGeneratedTokens is int max && generatedTokens >= max)
                    return Finish(episode, reset, steps, EpisodeStatus.Truncated, $"token limit: {generatedTokens} of {max} generated tokens used", reward, false, null, turns, generatedTokens);
            }
            return Finish(episode, reset, steps, EpisodeStatus.Truncated, $"turn limit: {options.MaxTurns} turns without the environment finishing", reward, false, null, turns, generatedTokens);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ContextWindowFullException e)
        {
            return Finish(episode, reset, steps, EpisodeStatus.Truncated, $"context window full: {e.Message}", reward, false, null, turns, generatedTokens);
        }
        catch (StepTimeoutException e)
        {
            return Finish(episode, reset, steps, EpisodeStatus.InfrastructureError, $"{stage} timed out after {e.Timeout.TotalSeconds:0.###} s", null, null, null, turns, generatedTokens);
        }
        catch (Exception ex)
        {
            return Finish(episode, reset, steps, EpisodeStatus.InfrastructureError, $"{stage} failed: {ex.GetType().Name}: {ex.Message}", null, null, null, turns, generatedTokens);
        }
    }

    // Applies StepTimeout to one call: the call's token is cancelled when time runs out, and WaitAsync on the same token
    // stops waiting even when the callee ignores it (a hung socket, a busy loop), so one bad call cannot stall a worker.
    private async Task<T> WithTimeout<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (options.StepTimeout is not TimeSpan timeout)
            return await call(cancellationToken).ConfigureAwait(false);
        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        callCts.CancelAfter(timeout);
        try
        {
            return await call(callCts.Token).WaitAsync(callCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (callCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StepTimeoutException(timeout);
        }
    }

    // Our own time-out, kept apart from a TimeoutException the policy or environment throws for reasons of its own.
    private sealed class StepTimeoutException(TimeSpan timeout) : Exception($"Timed out after {timeout}.")
    {
        public TimeSpan Timeout { get; } = timeout;
    }

    private static void AddObservations(IReadOnlyList<Observation> observations, List<TrajectoryStep> steps, List<ChatMessage> messages)
    {
        foreach (var observation in observations)
        {
            steps.Add(new ObservationStep(observation));
            messages.Add(observation.ToMessage());
        }
    }

    private Trajectory Finish(
        RolloutEpisode episode, EnvironmentReset? reset, List<TrajectoryStep> steps, EpisodeStatus status, string? detail,
        double? reward, bool? success, IReadOnlyDictionary<string, double>? metrics, int turns, int generatedTokens) => new()
    {
        Id = episode.Id,
        TaskId = episode.Task.Id,
        Environment = factory.Name,
        Tools = reset?.Tools ?? [],
        Steps = steps,
        Reward = reward,
        Success = success,
        Status = status,
        StatusDetail = detail,
        Metrics = metrics ?? new Dictionary<string, double>(),
        Metadata = new JsonObject
        {
            ["split"] = episode.Task.Split.ToString().ToLowerInvariant(),
            ["task_seed"] = episode.Task.Seed,
            ["sample_index"] = episode.SampleIndex,
            ["seed"] = episode.Seed,
            ["policy"] = policies.Name,
            ["turns"] = turns,
            ["generated_tokens"] = generatedTokens,
        },
    };
}
