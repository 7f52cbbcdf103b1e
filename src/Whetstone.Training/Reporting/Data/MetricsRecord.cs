namespace Whetstone.Training.Reporting.Data;

/// <summary>
/// One line of <c>metrics.jsonl</c>: the training step, the stage it belongs to (<c>sft</c>, <c>grpo</c>, …; null when
/// the line names none) and every numeric field of the line by name (<c>loss</c>, <c>lr</c>, <c>kl</c>, …).
/// </summary>
/// <param name="Line">1-based line number in the file, for messages.</param>
/// <param name="Step">The optimizer step.</param>
/// <param name="Stage">The training stage, or null.</param>
/// <param name="Values">Numeric fields other than <c>step</c>; booleans read as 0/1, "NaN"/"Infinity" as non-finite.</param>
internal sealed record MetricsRecord(int Line, double Step, string? Stage, IReadOnlyDictionary<string, double> Values);
