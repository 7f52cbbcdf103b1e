using Spectre.Console;
using Whetstone.Agents.Trajectories;
using Whetstone.Cli.Progress;

namespace Whetstone.Cli.Tests.Progress;

public class LiveProgressTests
{
    /// <summary>A Spectre console that believes it is an ANSI terminal but writes into <paramref name="screen"/>.</summary>
    private static IAnsiConsole Terminal(StringWriter screen) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        Interactive = InteractionSupport.Yes,
        ColorSystem = ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(screen),
    });

    [Fact]
    public async Task The_live_display_draws_step_total_and_loss_and_prints_log_lines_above_the_bar()
    {
        var screen = new StringWriter();
        TextWriter outBefore = Console.Out, errorBefore = Console.Error;

        int code = await ProgressDisplay.RunAsync(async display =>
        {
            var sink = display.Training(_ => "sft");
            sink.Start(4);
            for (int step = 1; step <= 4; step++)
            {
                sink.Report(step, 2.0 / step, 1000);
                Console.Error.WriteLine($"log line {step}");
            }
            sink.Finish();
            await Task.Yield();
            return 7;
        }, ProgressMode.Live, Terminal(screen));

        Assert.Equal(7, code);
        Assert.Same(outBefore, Console.Out);        // the console streams are handed back afterwards
        Assert.Same(errorBefore, Console.Error);
        var text = screen.ToString();
        Assert.Contains("sft step 4/4 | loss 0.5000 |", text);
        Assert.Contains("100%", text);
        Assert.Contains("\u001b[", text);           // drawn in place with terminal escape codes
        for (int step = 1; step <= 4; step++)
            Assert.Contains($"log line {step}", text);
    }

    [Fact]
    public async Task Each_training_run_gets_its_own_named_bar()
    {
        var screen = new StringWriter();

        await ProgressDisplay.RunAsync(async display =>
        {
            var sink = display.Training(run => run == 1 ? "SFT" : "GRPO");
            sink.Start(2);
            sink.Report(1, 1.5, 10);
            sink.Report(2, 1.25, 10);
            sink.Start(3);
            sink.Report(1, 0.75, 10);
            sink.Finish();
            await Task.Yield();
            return 0;
        }, ProgressMode.Live, Terminal(screen));

        var text = screen.ToString();
        Assert.Contains("SFT step 2/2 | loss 1.2500", text);
        Assert.Contains("GRPO step 1/3 | loss 0.7500", text);
    }

    [Fact]
    public async Task The_live_episode_bar_shows_done_total_and_success_so_far()
    {
        var screen = new StringWriter();

        await ProgressDisplay.RunAsync(async display =>
        {
            var episodes = display.Episodes("eval", 3);
            episodes.Add(Episode(success: true));
            episodes.Add(Episode(success: false));
            episodes.Add(Episode(success: true));
            episodes.Finish();
            await Task.Yield();
            return 0;
        }, ProgressMode.Live, Terminal(screen));

        Assert.Contains("eval 3/3 | success 2/3 (66.7%)", screen.ToString());
    }

    internal static Trajectory Episode(bool success, EpisodeStatus status = EpisodeStatus.Completed) =>
        new() { Id = Guid.NewGuid().ToString("N"), TaskId = "t", Environment = "calc", Success = success, Status = status };
}
