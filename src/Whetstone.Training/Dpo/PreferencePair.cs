using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.Dpo;

/// <summary>Two attempts at the same task: one that succeeded (chosen) and one that failed (rejected).</summary>
/// <param name="Chosen">The preferred trajectory (an expert's or a successful policy sample).</param>
/// <param name="Rejected">The dispreferred trajectory (a failed policy sample).</param>
public sealed record PreferencePair(Trajectory Chosen, Trajectory Rejected);
