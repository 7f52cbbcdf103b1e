using Whetstone.Agents.Formats;
using Whetstone.Agents.Trajectories;
using Whetstone.Cli.Tests.Infrastructure;

namespace Whetstone.Cli.Tests.Verbs;

public class RolloutTests
{
    [Fact]
    public async Task Rollout_writes_one_trajectory_per_episode_as_jsonl()
    {
        using var dir = new TempDirectory();
        var path = dir.File("calc.jsonl");

        var result = await Whet.RunAsync("rollout", "--env", "calc", "--policy", "expert", "--episodes", "6", "--split", "train", "--out", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        var trajectories = TrajectoryJsonl.Read(path).ToList();
        Assert.Equal(6, trajectories.Count);
        Assert.All(trajectories, t => Assert.True(t.Success));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"calc/train/{i}").Order(), trajectories.Select(t => t.TaskId).Order());
        Assert.Contains($"wrote 6 trajectories to {path}", result.Error);
        Assert.Contains("rollout: episodes 6/6 (100.0%) | success 6/6 (100.0%)", result.Error);
    }

    [Fact]
    public async Task Rollout_out_of_process_with_stderr_redirected_prints_plain_progress_lines()
    {
        using var dir = new TempDirectory();

        var result = await WhetProcess.RunAsync(dir.Path, "rollout", "--env", "calc", "--policy", "expert", "--episodes", "3", "--out", "out.jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, TrajectoryJsonl.Read(dir.File("out.jsonl")).Count());
        // Redirected stderr gets whole lines: no carriage returns, no terminal escape codes.
        Assert.DoesNotContain('\r', result.Error);
        Assert.DoesNotContain('\u001b', result.Error);
        Assert.Contains("rollout: episodes 3/3 (100.0%) | success 3/3 (100.0%)", result.Error);
    }
}
