namespace Whetstone.Training.Reporting;

/// <summary>What <see cref="RunReport.Write"/> produced.</summary>
/// <param name="OutputPath">Full path of the written <c>report.html</c>.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Charts">Element ids of the charts drawn (<c>chart-loss</c>, …).</param>
/// <param name="OmittedCharts">Ids of the charts left out for lack of data, each with the reason.</param>
/// <param name="Transcripts">Sample trajectories rendered.</param>
public sealed record ReportResult(
    string OutputPath, long Bytes, IReadOnlyList<string> Charts, IReadOnlyList<(string Id, string Reason)> OmittedCharts, int Transcripts);
