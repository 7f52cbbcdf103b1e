namespace Whetstone.Models.Generation;

/// <summary>
/// One sequence's part of an <see cref="InferenceEngine.Forward"/> call: tokens appended to its cache at positions
/// cache.Length, cache.Length + 1, … A prompt is a segment of many tokens (prefill); a decoding step is a segment of one.
/// </summary>
/// <param name="Cache">The sequence's cache; it grows by <paramref name="Tokens"/>.Length.</param>
/// <param name="Tokens">Token ids to feed, at least one.</param>
/// <param name="WantLogits">Whether to compute the logits after the last token (false for a prompt prefix fed ahead).</param>
public readonly record struct ForwardSegment(KvCache Cache, ReadOnlyMemory<int> Tokens, bool WantLogits = true);
