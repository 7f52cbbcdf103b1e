namespace Whetstone.Training.Reporting.Charts;

/// <summary>A place for a chart in the report: the chart, or why it is not drawn.</summary>
/// <param name="Id">Element id the chart (or its note) gets, e.g. <c>chart-kl</c>.</param>
/// <param name="Title">Heading.</param>
/// <param name="Chart">The chart, or null when its data are absent.</param>
/// <param name="MissingNote">Why it is omitted (e.g. <c>no "kl" field in metrics.jsonl</c>), when <paramref name="Chart"/> is null.</param>
internal sealed record ChartSlot(string Id, string Title, LineChart? Chart, string? MissingNote);
