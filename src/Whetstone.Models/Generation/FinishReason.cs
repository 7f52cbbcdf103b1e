namespace Whetstone.Models.Generation;

/// <summary>Why a sequence stopped.</summary>
public enum FinishReason
{
    /// <summary>It produced a stop token (the token is the last one of the output).</summary>
    StopToken,
    /// <summary>Its decoded output contains a stop string (the tokens up to and including the one that completed it are kept).</summary>
    StopString,
    /// <summary>It reached <see cref="SamplingOptions.MaxNewTokens"/>.</summary>
    MaxTokens,
    /// <summary>Its KV cache is full (<see cref="GeneratorOptions.MaxSequenceLength"/>).</summary>
    ContextFull,
}
