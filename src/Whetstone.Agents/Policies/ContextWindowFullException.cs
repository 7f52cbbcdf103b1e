namespace Whetstone.Agents.Policies;

/// <summary>
/// The conversation no longer fits the model's context window, so the policy cannot take another turn. This is the
/// episode's own doing (it talked too much), not a broken service: the rollout runner ends the episode as
/// <see cref="Trajectories.EpisodeStatus.Truncated"/> and scores it like any other truncated episode. Counting it as
/// an infrastructure error instead would leave it out of RL updates and evaluations, and a policy that learns to
/// overflow its context would hide its failures.
/// </summary>
public sealed class ContextWindowFullException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="promptTokens">Tokens in the prompt the policy would have to read.</param>
    /// <param name="contextTokens">The most tokens the model can hold (prompt and reply together).</param>
    public ContextWindowFullException(int promptTokens, int contextTokens)
        : base($"the conversation has {promptTokens} prompt tokens and the model's context holds {contextTokens}; no room for another turn")
    {
        PromptTokens = promptTokens;
        ContextTokens = contextTokens;
    }

    /// <summary>Tokens in the prompt the policy would have to read.</summary>
    public int PromptTokens { get; }

    /// <summary>The most tokens the model can hold (prompt and reply together).</summary>
    public int ContextTokens { get; }
}
