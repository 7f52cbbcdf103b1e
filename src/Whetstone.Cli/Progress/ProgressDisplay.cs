using Spectre.Console;
using Whetstone.Training.Progress;

namespace Whetstone.Cli.Progress;

/// <summary>
/// The progress display of one long-running verb, on standard error. <see cref="RunAsync"/> runs the verb's work
/// inside it; the work asks for a trainer sink (<see cref="Training"/>) or an episode counter (<see cref="Episodes"/>).
/// Live mode draws Spectre.Console bars and routes Console.Out/Error lines above them; plain mode prints periodic
/// lines (the trainers' <see cref="ProgressLine"/>, non-interactive), so CI logs stay line-based.
/// </summary>
internal sealed class ProgressDisplay
{
    private readonly TextWriter _plain;
    private ProgressContext? _live;

    private ProgressDisplay(ProgressMode mode, TextWriter plain) => (Mode, _plain) = (mode, plain);

    /// <summary>The mode in effect.</summary>
    public ProgressMode Mode { get; }

    /// <summary>Seconds between plain lines.</summary>
    public static TimeSpan PlainInterval { get; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="work"/> with a display in <paramref name="mode"/> (default: <see cref="ProgressModes.FromEnvironment"/>);
    /// a live display draws on <paramref name="console"/> (default: a Spectre console on standard error).
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<ProgressDisplay, Task<T>> work, ProgressMode? mode = null, IAnsiConsole? console = null)
    {
        var display = new ProgressDisplay(mode ?? ProgressModes.FromEnvironment(), Console.Error);
        if (display.Mode != ProgressMode.Live)
            return await work(display);

        TextWriter error = Console.Error, output = Console.Out;
        console ??= AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        var progress = console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn());
        return await progress.StartAsync(async context =>
        {
            display._live = context;
            var forwarder = new ConsoleLineForwarder(console);
            Console.SetError(forwarder);
            // Standard output that goes to a file or pipe stays untouched; on the terminal it must pass the display.
            if (!Console.IsOutputRedirected) Console.SetOut(forwarder);
            try
            {
                return await work(display);
            }
            finally
            {
                await forwarder.StopAsync();
                Console.SetError(error);
                Console.SetOut(output);
                forwarder.Dispose();
            }
        });
    }

    /// <summary>A sink for a trainer's steps; <paramref name="nameOfRun"/> names its 1st, 2nd, … run (live bars only).</summary>
    public ITrainingProgress Training(Func<int, string> nameOfRun) => Mode switch
    {
        ProgressMode.Live => new LiveTrainingProgress(_live!, nameOfRun),
        ProgressMode.Plain => new ProgressLine(_plain, 1, interactive: false, PlainInterval),
        _ => new SilentProgress(),
    };

    /// <summary>A counter of <paramref name="total"/> episodes labelled <paramref name="label"/>.</summary>
    public IEpisodeProgress Episodes(string label, int total) => Mode switch
    {
        ProgressMode.Live => new LiveEpisodeProgress(_live!, label, total),
        ProgressMode.Plain => new PlainEpisodeProgress(_plain, label, total, PlainInterval),
        _ => new SilentProgress(),
    };
}
