using Whetstone.Agents.Policies;

namespace Whetstone.Agents.Rollouts;

/// <summary>
/// How a <see cref="RolloutRunner"/> runs episodes: how many samples per task, how many at once, and the limits that
/// truncate an episode or turn a hung call into an infrastructure error.
/// </summary>
public sealed record RolloutOptions
{
    /// <summary>Episodes per task (G in GRPO, n in pass@k). Each sample gets its own seed.</summary>
    public int SamplesPerTask { get; init; } = 1;

    /// <summary>Most episodes in flight at once.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Most assistant turns per episode; an episode that reaches it is <c>Truncated</c>.</summary>
    public int MaxTurns { get; init; } = 256;

    /// <summary>
    /// Most generated tokens per episode, counted from <see cref="PolicyResponse.CompletionTokens"/> (or the length of
    /// <see cref="PolicyResponse.TokenIds"/>); an episode that reaches it is <c>Truncated</c>. Null means no limit.
    /// Each call's <see cref="SamplingOptions.MaxTokens"/> is lowered to what is left of the budget.
    /// </summary>
    public int? MaxGeneratedTokens { get; init; }

    /// <summary>
    /// Longest a single policy call or environment call may take. A call that runs over is cancelled and the episode
    /// becomes an <c>InfrastructureError</c>. Null means no limit.
    /// </summary>
    public TimeSpan? StepTimeout { get; init; }

    /// <summary>Sampling settings passed to the policy; the runner replaces <see cref="SamplingOptions.Seed"/> with a seed per episode and turn (<see cref="RolloutEpisode.TurnSeed"/>).</summary>
    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>Base seed: with scripted policies, the same seed, tasks and options give the same trajectories.</summary>
    public int Seed { get; init; }

    /// <summary>Throws when a field is out of range, naming it.</summary>
    public void Validate()
    {
        if (SamplesPerTask < 1) throw new ArgumentOutOfRangeException(nameof(SamplesPerTask), SamplesPerTask, "SamplesPerTask must be at least 1.");
        if (MaxParallelism < 1) throw new ArgumentOutOfRangeException(nameof(MaxParallelism), MaxParallelism, "MaxParallelism must be at least 1.");
        if (MaxTurns < 1) throw new ArgumentOutOfRangeException(nameof(MaxTurns), MaxTurns, "MaxTurns must be at least 1.");
        if (MaxGeneratedTokens is < 1) throw new ArgumentOutOfRangeException(nameof(MaxGeneratedTokens), MaxGeneratedTokens, "MaxGeneratedTokens must be at least 1 when set.");
        if (StepTimeout is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(StepTimeout), t, "StepTimeout must be positive when set.");
    }
}
