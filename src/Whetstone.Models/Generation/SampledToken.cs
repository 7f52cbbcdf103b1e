namespace Whetstone.Models.Generation;

/// <summary>A drawn token and its log-probability under the model's plain softmax (temperature 1, no filtering).</summary>
/// <param name="Id">The token id.</param>
/// <param name="LogProb">log softmax(logits)[Id]: what an RL importance ratio compares against the trainer's forward.</param>
public readonly record struct SampledToken(int Id, float LogProb);
