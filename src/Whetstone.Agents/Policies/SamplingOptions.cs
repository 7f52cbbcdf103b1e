namespace Whetstone.Agents.Policies;

/// <summary>How a policy samples its answer. Remote policies pass these to the server.</summary>
public sealed record SamplingOptions
{
    /// <summary>Softmax temperature; 0 means greedy.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Nucleus sampling mass; 1 disables it.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Keep only the k most likely tokens; 0 disables it.</summary>
    public int TopK { get; init; }

    /// <summary>Drop tokens whose probability is below this fraction of the top token's; 0 disables it.</summary>
    public float MinP { get; init; }

    /// <summary>Most tokens to generate for this turn.</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>Seed for reproducible sampling, if any.</summary>
    public int? Seed { get; init; }

    /// <summary>Strings that end generation (not included in the output).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];
}
