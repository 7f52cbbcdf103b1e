using System.Text.Json.Nodes;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Formats;

/// <summary>
/// Keeps the fields of a record that a format converter does not interpret, so that writing the record back gives the
/// same JSON. Extras of a whole record go to <c>Trajectory.Metadata[format]</c>; extras of one message or turn go to
/// <c>TrajectoryStep.Metadata[format]</c>.
/// </summary>
internal static class UnknownFields
{
    /// <summary>A copy of the members of <paramref name="obj"/> whose names are not in <paramref name="known"/>; null when none.</summary>
    public static JsonObject? Collect(JsonObject obj, IReadOnlySet<string> known)
    {
        JsonObject? extras = null;
        foreach (var (k, v) in obj)
        {
            if (known.Contains(k)) continue;
            extras ??= new JsonObject();
            extras[k] = v?.DeepClone();
        }
        return extras;
    }

    /// <summary>Copies every member of <paramref name="extras"/> onto <paramref name="target"/>, replacing same-named ones.</summary>
    public static void Apply(JsonObject target, JsonObject? extras)
    {
        if (extras is null) return;
        foreach (var (k, v) in extras) target[k] = v?.DeepClone();
    }

    /// <summary>Step metadata holding <paramref name="extras"/> under <paramref name="format"/>, or null when there are none.</summary>
    public static JsonObject? StepMetadata(string format, JsonObject? extras) =>
        extras is null ? null : new JsonObject { [format] = extras };

    /// <summary>The extras stored under <paramref name="format"/> in a step's metadata.</summary>
    public static JsonObject? Of(TrajectoryStep step, string format) => step.Metadata?[format] as JsonObject;

    /// <summary>The extras stored under <paramref name="format"/> in a trajectory's metadata.</summary>
    public static JsonObject? Of(Trajectory trajectory, string format) => trajectory.Metadata[format] as JsonObject;
}
