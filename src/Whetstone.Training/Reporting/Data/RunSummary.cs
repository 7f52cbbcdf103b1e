namespace Whetstone.Training.Reporting.Data;

/// <summary>
/// <c>summary.json</c>: the final comparison of policies (random, SFT, SFT+GRPO, expert, …) on held-out tasks, in the
/// order the file lists them.
/// </summary>
/// <param name="Title">Optional heading for the run.</param>
/// <param name="Results">One evaluation per policy (and environment).</param>
internal sealed record RunSummary(string? Title, IReadOnlyList<EvalResult> Results);
