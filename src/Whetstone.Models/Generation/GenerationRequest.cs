namespace Whetstone.Models.Generation;

/// <summary>One sequence to generate: a prompt, its sampling settings and, for stop strings, a decoder.</summary>
/// <param name="PromptIds">The prompt's token ids (at least one).</param>
/// <param name="Options">Sampling settings; null means <see cref="SamplingOptions"/> defaults.</param>
/// <param name="Decode">Turns generated ids into text, e.g. <c>ids =&gt; tokenizer.Decode(ids)</c>; needed only for stop strings.</param>
public sealed record GenerationRequest(IReadOnlyList<int> PromptIds, SamplingOptions? Options = null,
    Func<IReadOnlyList<int>, string>? Decode = null);
