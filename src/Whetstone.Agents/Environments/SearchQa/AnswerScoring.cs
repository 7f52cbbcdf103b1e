namespace Whetstone.Agents.Environments.SearchQa;

/// <summary>
/// Exact match and token F1 after SQuAD-style normalisation: lower case, punctuation and the articles
/// a/an/the removed, whitespace collapsed.
/// </summary>
public static class AnswerScoring
{
    /// <summary>The normalised form both scores compare.</summary>
    public static string Normalize(string text)
    {
        var words = Bm25Index.Tokenize(text).Where(w => w is not ("a" or "an" or "the"));
        return string.Join(' ', words);
    }

    /// <summary>1 when the normalised prediction equals the normalised gold answer, else 0.</summary>
    public static double ExactMatch(string prediction, string gold) => Normalize(prediction) == Normalize(gold) ? 1 : 0;

    /// <summary>Harmonic mean of token precision and recall between the normalised strings.</summary>
    public static double F1(string prediction, string gold)
    {
        var p = Normalize(prediction).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var g = Normalize(gold).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (p.Length == 0 || g.Length == 0)
            return p.Length == g.Length ? 1 : 0;
        var remaining = g.GroupBy(w => w).ToDictionary(x => x.Key, x => x.Count());
        int common = 0;
        foreach (var w in p)
        {
            if (remaining.TryGetValue(w, out var n) && n > 0)
            {
                common++;
                remaining[w] = n - 1;
            }
        }
        if (common == 0)
            return 0;
        double precision = (double)common / p.Length, recall = (double)common / g.Length;
        return 2 * precision * recall / (precision + recall);
    }
}
