namespace Whetstone.Training.Reporting.Data;

/// <summary>
/// Everything read from a run directory. A piece is null when its file is absent, and the report says "not
/// available" for it; <see cref="Sources"/> lists what was found and what was not.
/// </summary>
internal sealed record RunData
{
    /// <summary>The run directory as given.</summary>
    public required string Directory { get; init; }

    /// <summary>Lines of <c>metrics.jsonl</c>, or null.</summary>
    public IReadOnlyList<MetricsRecord>? Metrics { get; init; }

    /// <summary>Held-out evaluations over training (<c>eval.jsonl</c> and <c>evals/*.json</c>), or null.</summary>
    public IReadOnlyList<EvalResult>? Evals { get; init; }

    /// <summary><c>summary.json</c>, or null.</summary>
    public RunSummary? Summary { get; init; }

    /// <summary>Picked sample trajectories (successes first, then failures), or null when no sample file exists.</summary>
    public IReadOnlyList<SampleTrajectory>? Samples { get; init; }

    /// <summary>The config or recipe snapshot: file name and text, or null.</summary>
    public (string File, string Text)? Config { get; init; }

    /// <summary>Each contract file with what was found, e.g. <c>("metrics.jsonl", "3,000 lines")</c> or <c>"not available"</c>.</summary>
    public IReadOnlyList<(string File, string Status)> Sources { get; init; } = [];
}
