namespace Whetstone.Agents.Environments.SearchQa;

/// <summary>
/// Okapi BM25 over a small document collection (k1 = 1.5, b = 0.75). Terms are lower-cased runs of letters and
/// digits. Ties are broken by document order so that search results are deterministic.
/// </summary>
internal sealed class Bm25Index
{
    private const double K1 = 1.5;
    private const double B = 0.75;

    private readonly IReadOnlyList<KnowledgeDocument> _documents;
    private readonly List<Dictionary<string, int>> _termCounts = [];
    private readonly List<int> _lengths = [];
    private readonly Dictionary<string, int> _documentFrequency = [];
    private readonly double _averageLength;

    public Bm25Index(IReadOnlyList<KnowledgeDocument> documents)
    {
        _documents = documents;
        foreach (var document in documents)
        {
            // The title counts twice: a search for an entity's name should find its own page first.
            var terms = Tokenize(document.Title).Concat(Tokenize(document.Title)).Concat(Tokenize(document.Text)).ToList();
            var counts = new Dictionary<string, int>();
            foreach (var t in terms)
                counts[t] = counts.GetValueOrDefault(t) + 1;
            foreach (var t in counts.Keys)
                _documentFrequency[t] = _documentFrequency.GetValueOrDefault(t) + 1;
            _termCounts.Add(counts);
            _lengths.Add(terms.Count);
        }
        _averageLength = _lengths.Count == 0 ? 1 : _lengths.Average();
    }

    /// <summary>The best <paramref name="k"/> documents for <paramref name="query"/> with a positive score.</summary>
    public IReadOnlyList<KnowledgeDocument> Search(string query, int k)
    {
        var terms = Tokenize(query).Distinct().ToList();
        var scored = new List<(double Score, int Index)>();
        for (int d = 0; d < _documents.Count; d++)
        {
            double score = 0;
            foreach (var term in terms)
            {
                if (!_termCounts[d].TryGetValue(term, out var tf))
                    continue;
                int df = _documentFrequency[term];
                double idf = Math.Log(1 + (_documents.Count - df + 0.5) / (df + 0.5));
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * _lengths[d] / _averageLength));
            }
            if (score > 0)
                scored.Add((score, d));
        }
        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Index).Take(k).Select(s => _documents[s.Index]).ToList();
    }

    /// <summary>Lower-cased runs of letters and digits.</summary>
    public static IEnumerable<string> Tokenize(string text)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool word = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (word && start < 0)
                start = i;
            else if (!word && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }
}

/// <summary>One page of the generated knowledge base.</summary>
/// <param name="Title">The entity's name.</param>
/// <param name="Text">What the page says about it.</param>
internal sealed record KnowledgeDocument(string Title, string Text);
