namespace Whetstone.Agents.Environments.Calc;

/// <summary>How hard calc problems are: how many operations and how large the numbers.</summary>
public enum CalcDifficulty
{
    /// <summary>2 operations, numbers up to 20, results up to 200.</summary>
    Easy,
    /// <summary>2–3 operations, numbers up to 50, results up to 1000.</summary>
    Medium,
    /// <summary>3–4 operations, numbers up to 100, results up to 10000.</summary>
    Hard,
}
