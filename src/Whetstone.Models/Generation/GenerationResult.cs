namespace Whetstone.Models.Generation;

/// <summary>A finished sequence.</summary>
/// <param name="Id">The id <see cref="Generator.Add"/> returned (for <see cref="Generator.Generate"/>, the request's index).</param>
/// <param name="PromptLength">Number of prompt tokens.</param>
/// <param name="Tokens">The generated ids, stop token included.</param>
/// <param name="LogProbs">log p(token) for each generated token under the model's plain softmax at temperature 1,
/// whatever sampling settings drew it: the behaviour log-probabilities an RL importance ratio needs.</param>
/// <param name="Reason">Why it stopped.</param>
/// <param name="StopString">The stop string that matched, when <paramref name="Reason"/> is <see cref="FinishReason.StopString"/>.</param>
public sealed record GenerationResult(int Id, int PromptLength, IReadOnlyList<int> Tokens, IReadOnlyList<float> LogProbs,
    FinishReason Reason, string? StopString = null);
