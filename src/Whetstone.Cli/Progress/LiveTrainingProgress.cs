using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Whetstone.Training.Progress;

namespace Whetstone.Cli.Progress;

/// <summary>
/// A trainer's steps as a bar of a Spectre.Console live display: <c>sft step 120/1000 | loss 2.3456 | 1,234 tok/s</c>
/// beside the bar, percentage, elapsed time and ETA. Each <see cref="Start"/> adds a new bar, so the demo's SFT and
/// GRPO stages (and each RFT round) stay on screen one under the other; <c>nameOfRun</c> names run 1, 2, ….
/// </summary>
internal sealed class LiveTrainingProgress(ProgressContext context, Func<int, string> nameOfRun) : ITrainingProgress
{
    private readonly StepTimeAverage _average = new();
    private readonly Stopwatch _stepClock = new();
    private ProgressTask? _task;
    private long _total;
    private int _runs;

    public void Start(long totalSteps)
    {
        Finish();
        _total = totalSteps;
        _runs++;
        _task = context.AddTask(Describe(0, double.NaN), maxValue: Math.Max(1, totalSteps));
        _stepClock.Restart();
    }

    public void Report(long step, double loss, long tokens)
    {
        if (_task is null) Start(Math.Max(step, 1));
        _average.Add(_stepClock.Elapsed.TotalSeconds, tokens);
        _stepClock.Restart();
        _task!.Value = step;
        _task.Description = Describe(step, loss);
    }

    public void Finish()
    {
        _task?.StopTask();
        _task = null;
    }

    private string Describe(long step, double loss)
    {
        var name = nameOfRun(_runs);
        var lossText = double.IsNaN(loss) ? "-" : loss.ToString("F4", CultureInfo.InvariantCulture);
        return Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{name} step {step}/{_total} | loss {lossText} | {_average.TokensPerSecond:N0} tok/s"));
    }
}
