using Whetstone.Agents.Evaluation;

namespace Whetstone.Training.Demo;

/// <summary>One row of the demo's comparison: a policy and its held-out evaluation.</summary>
/// <param name="Policy">"random", "SFT", "SFT+GRPO" or "expert".</param>
/// <param name="Report">Greedy (or scripted) episodes on the same test tasks, with the 95% Wilson interval.</param>
public sealed record DemoRow(string Policy, EvaluationReport Report);

/// <summary>What <see cref="CalcDemo.RunAsync"/> produced.</summary>
public sealed record DemoResult
{
    /// <summary>The rows in table order: random, SFT, SFT+GRPO, expert.</summary>
    public required IReadOnlyList<DemoRow> Rows { get; init; }

    /// <summary>Seconds per stage ("expert", "tokenizer", "sft", "grpo", "eval", "total").</summary>
    public required IReadOnlyDictionary<string, double> Seconds { get; init; }

    /// <summary>The Hugging Face checkpoint directory of the final (SFT+GRPO) model.</summary>
    public required string ModelDir { get; init; }

    /// <summary>Model parameters.</summary>
    public required long Parameters { get; init; }

    /// <summary>The report.html written by <c>RunReport.Write</c>.</summary>
    public required string ReportPath { get; init; }
}
