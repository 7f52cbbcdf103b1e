using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Formats;

/// <summary>
/// Reads and writes whole JSONL files of trajectories in any <see cref="ITrajectoryFormat"/> (Whetstone's native one
/// by default). For writing episodes as they finish, use <see cref="TrajectoryJsonlWriter"/>.
/// </summary>
public static class TrajectoryJsonl
{
    /// <summary>
    /// The trajectories of <paramref name="path"/>, one per non-blank line, streamed. Formats without ids get
    /// <c>&lt;file name&gt;-&lt;line&gt;</c>.
    /// </summary>
    /// <exception cref="JsonlFormatException">A line is malformed; the message reads <c>file:line: field: problem</c>.</exception>
    public static IEnumerable<Trajectory> Read(string path, ITrajectoryFormat? format = null)
    {
        foreach (var (_, trajectory) in ReadWithLines(path, format)) yield return trajectory;
    }

    /// <summary>Like <see cref="Read"/>, with the 1-based line number of each trajectory.</summary>
    public static IEnumerable<(int Line, Trajectory Trajectory)> ReadWithLines(string path, ITrajectoryFormat? format = null)
    {
        format ??= WhetTrajectoryFormat.Instance;
        var stem = Path.GetFileNameWithoutExtension(path);
        foreach (var (line, record) in JsonlRecords.Read(path))
        {
            Trajectory trajectory;
            try
            {
                trajectory = format.Read(record, $"{stem}-{line}");
            }
            catch (FormatFieldException e)
            {
                throw new JsonlFormatException(path, line, e.Field, e.Problem, e);
            }
            yield return (line, trajectory);
        }
    }

    /// <summary>One trajectory as a single JSONL line (no trailing newline).</summary>
    public static string ToLine(Trajectory trajectory, ITrajectoryFormat? format = null) =>
        JsonlRecords.ToLine((format ?? WhetTrajectoryFormat.Instance).Write(trajectory));

    /// <summary>Parses one line of <paramref name="format"/> (native by default).</summary>
    /// <exception cref="FormatFieldException">The line is malformed.</exception>
    public static Trajectory FromLine(string line, ITrajectoryFormat? format = null, string defaultId = "trajectory") =>
        (format ?? WhetTrajectoryFormat.Instance).Read(JsonlRecords.ParseLine(line), defaultId);

    /// <summary>
    /// Writes all <paramref name="trajectories"/> to <paramref name="path"/> atomically: into a temporary file in the
    /// same folder, renamed over <paramref name="path"/> only when every line was written. On failure no file is left.
    /// </summary>
    public static void Write(string path, IEnumerable<Trajectory> trajectories, ITrajectoryFormat? format = null)
    {
        using var file = AtomicFile.Create(path);
        foreach (var t in trajectories)
        {
            file.Writer.Write(ToLine(t, format));
            file.Writer.Write('\n');
        }
        file.Commit();
    }
}
