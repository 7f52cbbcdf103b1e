using Whetstone.Agents.Trajectories;
using Whetstone.Cli.Progress;
using Whetstone.Training.Progress;

namespace Whetstone.Cli.Tests.Progress;

public class PlainProgressTests
{
    [Fact]
    public void Plain_episode_lines_come_first_then_once_per_interval_then_at_the_end()
    {
        var output = new StringWriter();
        var now = TimeSpan.Zero;
        var progress = new PlainEpisodeProgress(output, "rollout", 5, TimeSpan.FromSeconds(10), () => now);

        foreach (var (seconds, success) in new[] { (1, true), (2, false), (5, true), (12, true), (13, true) })
        {
            now = TimeSpan.FromSeconds(seconds);
            progress.Add(LiveProgressTests.Episode(success));
        }
        progress.Finish();   // already printed the last episode: nothing more

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("rollout: episodes 1/5 (20.0%) | success 1/1 (100.0%) | 1.0 episodes/s | ETA 4s", lines[0]);
        Assert.StartsWith("rollout: episodes 4/5 (80.0%) | success 3/4 (75.0%)", lines[1]);
        Assert.StartsWith("rollout: episodes 5/5 (100.0%) | success 4/5 (80.0%)", lines[2]);
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void Infrastructure_errors_are_counted_apart_from_the_success_rate()
    {
        var output = new StringWriter();
        var progress = new PlainEpisodeProgress(output, "eval", 2, TimeSpan.FromSeconds(10), () => TimeSpan.FromSeconds(1));

        progress.Add(LiveProgressTests.Episode(success: true));
        progress.Add(LiveProgressTests.Episode(success: false, EpisodeStatus.InfrastructureError));

        Assert.Contains("eval: episodes 2/2 (100.0%) | success 1/1 (100.0%) | 1 infra errors |", output.ToString());
    }

    [Fact]
    public void A_stopped_run_prints_its_last_count_on_finish()
    {
        var output = new StringWriter();
        var now = TimeSpan.Zero;
        var progress = new PlainEpisodeProgress(output, "eval", 10, TimeSpan.FromSeconds(10), () => now);
        progress.Add(LiveProgressTests.Episode(success: true));
        now = TimeSpan.FromSeconds(2);
        progress.Add(LiveProgressTests.Episode(success: true));

        progress.Finish();

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("eval: episodes 2/10", lines[1]);
    }

    [Fact]
    public void A_restarted_progress_line_counts_against_the_new_total()
    {
        var output = new StringWriter();
        var now = TimeSpan.Zero;
        var line = new ProgressLine(output, 1, interactive: false, TimeSpan.FromSeconds(10), () => now);

        line.Start(3);
        for (int step = 1; step <= 3; step++)
        {
            now += TimeSpan.FromSeconds(1);
            line.Report(step, 1.0 / step, 100);
        }
        line.Start(2);
        now += TimeSpan.FromSeconds(1);
        line.Report(1, 0.5, 100);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);   // first and last of the 3-step run, then the first of the new run
        Assert.StartsWith("step 1/3 (33.3%)", lines[0]);
        Assert.StartsWith("step 3/3 (100.0%)", lines[1]);
        Assert.StartsWith("step 1/2 (50.0%)", lines[2]);
    }

    [Theory]
    [InlineData("live", "Live")]
    [InlineData("PLAIN", "Plain")]
    [InlineData("none", "None")]
    public void The_mode_can_be_forced_with_WHET_PROGRESS(string value, string expected)
    {
        var before = Environment.GetEnvironmentVariable(ProgressModes.Variable);
        Environment.SetEnvironmentVariable(ProgressModes.Variable, value);
        try
        {
            Assert.Equal(expected, ProgressModes.FromEnvironment().ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(ProgressModes.Variable, before);
        }
    }
}
