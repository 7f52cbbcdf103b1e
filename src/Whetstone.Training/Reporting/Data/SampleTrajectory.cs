using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.Reporting.Data;

/// <summary>A trajectory picked for the report, with the file and line it came from.</summary>
/// <param name="Trajectory">The episode.</param>
/// <param name="Source">File name relative to the run directory.</param>
/// <param name="Line">1-based line in that file.</param>
internal sealed record SampleTrajectory(Trajectory Trajectory, string Source, int Line);
