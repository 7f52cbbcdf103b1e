using Whetstone.Agents.Formats;
using Whetstone.Cli.Tests.Infrastructure;

namespace Whetstone.Cli.Tests.Verbs;

public class ConvertTests
{
    private static async Task<string> ExpertEpisodesAsync(TempDirectory dir, int episodes = 3)
    {
        var path = dir.File("whet.jsonl");
        var result = await Whet.RunAsync("rollout", "--env", "calc", "--policy", "expert", "--episodes", $"{episodes}", "--out", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        return path;
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("sharegpt")]
    [InlineData("adp")]
    public async Task Convert_there_and_back_keeps_the_conversation(string format)
    {
        using var dir = new TempDirectory();
        var original = await ExpertEpisodesAsync(dir);
        string there = dir.File($"{format}.jsonl"), back = dir.File("back.jsonl");

        var to = await Whet.RunAsync("convert", "--from", "whet", "--to", format, original, there);
        var from = await Whet.RunAsync("convert", "--from", format, "--to", "whet", there, back);

        Assert.True(to.ExitCode == 0, to.ToString());
        Assert.True(from.ExitCode == 0, from.ToString());
        Assert.Contains($"converted 3 records: {original} (whet) -> {there} ({format})", to.Error);
        Assert.Equal(3, File.ReadLines(there).Count());
        var before = TrajectoryJsonl.Read(original).ToList();
        var after = TrajectoryJsonl.Read(back).ToList();
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            // Tool calls and observations survive the trip: the same names, arguments and contents in the same order.
            var expected = before[i].Steps.Select(Describe).ToList();
            var actual = after[i].Steps.Select(Describe).ToList();
            Assert.Equal(expected, actual);
        }
    }

    private static string Describe(Whetstone.Agents.Trajectories.TrajectoryStep step) => step switch
    {
        Whetstone.Agents.Trajectories.ActionStep a => $"action {a.Action.Content} {string.Join(";", a.Action.ToolCalls.Select(c => $"{c.Name}{Canonical(c.ArgumentsJson)}"))}",
        Whetstone.Agents.Trajectories.ObservationStep o => $"observation {o.Observation.Content}",
        _ => step.GetType().Name,
    };

    // Formats may escape JSON differently ("+" or "\u002B"); the arguments must mean the same.
    private static string Canonical(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)?.ToJsonString() ?? "null";

    [Fact]
    public async Task A_malformed_line_stops_the_conversion_with_file_and_line_and_leaves_no_output()
    {
        using var dir = new TempDirectory();
        var original = await ExpertEpisodesAsync(dir, episodes: 2);
        var openai = dir.File("openai.jsonl");
        Assert.Equal(0, (await Whet.RunAsync("convert", "--from", "whet", "--to", "openai", original, openai)).ExitCode);
        File.AppendAllText(openai, "{\"messages\": [}\n");
        var output = dir.File("out.jsonl");

        var result = await Whet.RunAsync("convert", "--from", "openai", "--to", "sharegpt", openai, output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{openai}:3:", result.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task An_unknown_format_lists_the_known_ones()
    {
        using var dir = new TempDirectory();
        var original = await ExpertEpisodesAsync(dir, episodes: 1);

        var result = await Whet.RunAsync("convert", "--from", "whet", "--to", "alpaca", original, dir.File("x.jsonl"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("alpaca", result.Error);
        Assert.Contains("sharegpt", result.Error);
    }
}
