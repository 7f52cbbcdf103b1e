using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.Tests.Reporting;

/// <summary>A run directory under the temp folder, written piece by piece by a test and deleted afterwards.</summary>
internal sealed class TempRunDirectory : IDisposable
{
    public TempRunDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "whet-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void WriteLines(string relative, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(relative))!);
        System.IO.File.WriteAllText(File(relative), string.Join("\n", lines) + "\n");
    }

    public void WriteText(string relative, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(relative))!);
        System.IO.File.WriteAllText(File(relative), text);
    }

    public void WriteTrajectories(string relative, IEnumerable<Trajectory> trajectories)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(relative))!);
        TrajectoryJsonl.Write(File(relative), trajectories);
    }

    /// <summary>One metrics line: step, stage and numeric fields.</summary>
    public static string MetricsLine(int step, string? stage, params (string Key, double Value)[] values)
    {
        var o = new JsonObject { ["step"] = step };
        if (stage is not null) o["stage"] = stage;
        foreach (var (k, v) in values) o[k] = v;
        return o.ToJsonString();
    }

    /// <summary>A short calc-like episode that ends solved or not.</summary>
    public static Trajectory Episode(string id, bool success, string answer = "42") => new()
    {
        Id = id,
        Environment = "calc",
        Reward = success ? 1 : 0,
        Success = success,
        Steps =
        [
            new ObservationStep(Observation.System("Use the calculator.")),
            new ObservationStep(Observation.User("What is 6 * 7?")),
            new ActionStep(AgentAction.Call(new ToolCall("call_0", "calculator", "{\"expression\":\"6*7\"}"))),
            new ObservationStep(Observation.Tool("call_0", "calculator", "42")),
            new ActionStep(AgentAction.Call(new ToolCall("call_1", "answer", $"{{\"value\":{answer}}}"))) { Reward = success ? 1 : 0 },
            new ObservationStep(Observation.Tool("call_1", "answer", success ? "correct" : "wrong", isError: false)),
        ],
    };

    /// <summary>The HTML of the figure with id <paramref name="id"/>, or null when absent.</summary>
    public static string? Figure(string html, string id)
    {
        var start = html.IndexOf($"<figure class=\"chart\" id=\"{id}\">", StringComparison.Ordinal);
        if (start < 0) return null;
        var end = html.IndexOf("</figure>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    /// <summary>(data-series, data-points, data-drawn) of each series group of a figure.</summary>
    public static List<(string Name, int Points, int Drawn)> Series(string figure) =>
        Regex.Matches(figure, "<g class=\"series\" data-series=\"([^\"]*)\" data-points=\"(\\d+)\" data-drawn=\"(\\d+)\">")
            .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>Number of rows in the body of the table with id <paramref name="id"/>.</summary>
    public static int TableRows(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"table {id} is missing");
        var body = html.IndexOf("<tbody>", start, StringComparison.Ordinal);
        var end = html.IndexOf("</tbody>", body, StringComparison.Ordinal);
        return Regex.Matches(html[body..end], "<tr>").Count;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
