namespace Whetstone.Agents.Evaluation;

/// <summary>A two-sided confidence interval [<paramref name="Low"/>, <paramref name="High"/>].</summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public readonly record struct ConfidenceInterval(double Low, double High);
