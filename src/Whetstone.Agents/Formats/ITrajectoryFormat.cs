using System.Text.Json.Nodes;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Formats;

/// <summary>
/// A JSON record format that trajectories convert to and from, one record per JSONL line. Reading then writing a
/// record gives back the same JSON (up to key order); writing then reading a trajectory keeps everything the format
/// can represent.
/// </summary>
public interface ITrajectoryFormat
{
    /// <summary>The name <c>whet convert</c> uses: <c>whet</c>, <c>openai</c>, <c>sharegpt</c> or <c>adp</c>.</summary>
    string Name { get; }

    /// <summary>Converts <paramref name="trajectory"/> to one record of this format.</summary>
    JsonObject Write(Trajectory trajectory);

    /// <summary>Reads one record of this format.</summary>
    /// <param name="record">The record.</param>
    /// <param name="defaultId">Trajectory id to use when the format has none (e.g. <c>data-17</c> for line 17).</param>
    /// <exception cref="FormatFieldException">A field is missing or malformed; the exception names it.</exception>
    Trajectory Read(JsonObject record, string defaultId);
}
