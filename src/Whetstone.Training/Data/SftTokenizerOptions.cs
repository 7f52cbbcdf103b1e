namespace Whetstone.Training.Data;

/// <summary>Settings of <see cref="SftTokenizer"/>.</summary>
public sealed record SftTokenizerOptions
{
    /// <summary>
    /// Keep at most this many tokens per sequence: longer ones are cut at the end (the first MaxLength tokens are
    /// kept) and report <see cref="TokenizedSequence.TruncatedTokenCount"/>. Null: no limit.
    /// </summary>
    public int? MaxLength { get; init; }

    /// <summary>What to do when the template re-renders history differently; see <see cref="TemplateHistoryPolicy"/>.</summary>
    public TemplateHistoryPolicy HistoryPolicy { get; init; } = TemplateHistoryPolicy.Strict;
}
