using System.Globalization;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Cli.Progress;

/// <summary>Counts of finished episodes for the rollout and eval progress displays.</summary>
internal sealed class EpisodeTally(int total)
{
    public int Total { get; } = total;
    public int Done { get; private set; }
    public int Successes { get; private set; }
    public int InfrastructureErrors { get; private set; }

    public void Add(Trajectory trajectory)
    {
        Done++;
        if (trajectory.Status == EpisodeStatus.InfrastructureError) InfrastructureErrors++;
        else if (trajectory.Success == true) Successes++;
    }

    /// <summary>Success rate among scored episodes (infrastructure errors are left out, as in the eval report).</summary>
    public double SuccessRate => Done - InfrastructureErrors == 0 ? 0 : (double)Successes / (Done - InfrastructureErrors);

    /// <summary><c>success 38/40 (95.0%)</c>, plus the infrastructure errors when there are any.</summary>
    public string SuccessText()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"success {Successes}/{Done - InfrastructureErrors} ({100 * SuccessRate:F1}%)");
        return InfrastructureErrors == 0 ? text : $"{text} | {InfrastructureErrors} infra errors";
    }
}
