namespace Whetstone.Agents.Environments.Calc;

/// <summary>One calc step: the expression the expert types and its value.</summary>
/// <param name="Expression">E.g. <c>24+5</c>.</param>
/// <param name="Value">Its value.</param>
public sealed record CalcStep(string Expression, long Value);

/// <summary>A generated word problem with its worked solution (hidden from the agent).</summary>
/// <param name="Text">The problem statement.</param>
/// <param name="Steps">The operations in order, each on the previous result.</param>
public sealed record CalcProblem(string Text, IReadOnlyList<CalcStep> Steps)
{
    /// <summary>The correct answer: the value of the last step.</summary>
    public long Answer => Steps[^1].Value;
}
