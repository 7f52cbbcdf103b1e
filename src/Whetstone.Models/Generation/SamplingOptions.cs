namespace Whetstone.Models.Generation;

/// <summary>
/// How one sequence picks its tokens, in the order Hugging Face applies them: temperature, then top-k, then top-p
/// (over the top-k set, renormalised), then min-p (relative to the most likely token); then a draw with the
/// sequence's own seeded <see cref="Whetstone.Tensors.Rng"/>.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Softmax temperature; 0 is greedy (argmax, the lowest id on ties).</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Keep only the k most likely tokens; 0 turns it off.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of most likely tokens whose probability reaches this; 1 turns it off.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Drop tokens less likely than MinP × the top token's probability; 0 turns it off.</summary>
    public float MinP { get; init; }

    /// <summary>Seed of this sequence's random stream; null draws one. Same seed, same logits → same tokens.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Most tokens to generate.</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>Token ids that end the sequence (kept as its last token); null uses the model's <c>eos_token_id</c>.</summary>
    public IReadOnlyList<int>? StopTokenIds { get; init; }

    /// <summary>Texts that end the sequence once the decoded output contains one (needs a decoder on the request).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Greedy decoding with the given budget.</summary>
    public static SamplingOptions Greedy(int maxNewTokens = 256) => new() { Temperature = 0f, MaxNewTokens = maxNewTokens };

    /// <summary>Throws naming the first field out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        if (!(Temperature >= 0f) || float.IsInfinity(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be a finite number ≥ 0.");
        if (TopK < 0)
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top_k must be ≥ 0 (0 = off).");
        if (!(TopP > 0f && TopP <= 1f))
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must be in (0, 1].");
        if (!(MinP >= 0f && MinP <= 1f))
            throw new ArgumentOutOfRangeException(nameof(MinP), MinP, "min_p must be in [0, 1].");
        if (MaxNewTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "max_new_tokens must be ≥ 1.");
    }
}
