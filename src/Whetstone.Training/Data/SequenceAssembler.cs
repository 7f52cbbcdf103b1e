namespace Whetstone.Training.Data;

/// <summary>Appends context and completion ids, tracking mask, turn indices, spans and log-probs; then truncates.</summary>
internal sealed class SequenceAssembler
{
    private readonly List<int> _ids = [];
    private readonly List<float> _mask = [];
    private readonly List<int> _turn = [];
    private readonly List<float> _logProbs = [];
    private readonly List<TokenSpan> _spans = [];

    public int Count => _ids.Count;

    public IReadOnlyList<int> Ids => _ids;

    /// <summary>True once a completion without log-probs was added.</summary>
    public bool MissingLogProbs { get; private set; }

    /// <summary>True once a completion with log-probs was added.</summary>
    public bool HasLogProbs { get; private set; }

    public void AddContext(IReadOnlyList<int> ids)
    {
        if (ids.Count == 0) return;
        _spans.Add(new TokenSpan(TokenSpanKind.Context, _ids.Count, ids.Count, -1, -1, 0f));
        _ids.AddRange(ids);
        for (int k = 0; k < ids.Count; k++) { _mask.Add(0f); _turn.Add(-1); _logProbs.Add(0f); }
    }

    public void AddCompletion(IReadOnlyList<int> ids, float weight, int messageIndex, int turnIndex, IReadOnlyList<float>? logProbs)
    {
        if (logProbs is not null && logProbs.Count != ids.Count)
            throw new ArgumentException($"assistant message {messageIndex}: {logProbs.Count} log-probs for {ids.Count} token ids");
        if (logProbs is null) MissingLogProbs = true; else HasLogProbs = true;
        if (ids.Count == 0) return;
        _spans.Add(new TokenSpan(TokenSpanKind.Completion, _ids.Count, ids.Count, messageIndex, turnIndex, weight));
        _ids.AddRange(ids);
        for (int k = 0; k < ids.Count; k++)
        {
            _mask.Add(weight);
            _turn.Add(turnIndex);
            _logProbs.Add(logProbs?[k] ?? 0f);
        }
    }

    /// <summary>
    /// The first <paramref name="end"/> tokens (all by default) as a sequence, keeping only the first
    /// <paramref name="maxLength"/> of them when there are more.
    /// </summary>
    public TokenizedSequence Build(string? sourceId, int? maxLength, bool withLogProbs, int? end = null)
    {
        int natural = end ?? _ids.Count;
        int n = maxLength is { } max && max < natural ? max : natural;
        var spans = new List<TokenSpan>();
        foreach (var s in _spans)
        {
            if (s.Start >= n) break;
            spans.Add(s.End <= n ? s : s with { Length = n - s.Start });
        }
        var mask = _mask.GetRange(0, n).ToArray();
        if (n > 0) mask[0] = 0f; // nothing predicts the first token
        return new TokenizedSequence(_ids.GetRange(0, n).ToArray(), mask, _turn.GetRange(0, n).ToArray(), spans,
            withLogProbs ? _logProbs.GetRange(0, n).ToArray() : null, sourceId, natural - n);
    }
}
