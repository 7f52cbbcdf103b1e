using System.Diagnostics;
using System.Globalization;

namespace Whetstone.Training.Progress;

/// <summary>
/// The progress line on standard error: <c>step 120/1000 (12.0%) | loss 2.3456 | 1,234 tok/s | 0.85 s/step | ETA 12m30s</c>.
/// On a terminal it rewrites one line in place after every step; when stderr is a file or pipe (CI logs) it
/// prints a new line every <c>interval</c> and at the last step instead, so logs stay readable.
/// </summary>
public sealed class ProgressLine : ITrainingProgress
{
    private readonly TextWriter _output;
    private readonly Func<TimeSpan> _clock;
    private readonly StepTimeAverage _average;
    private TimeSpan _lastStepAt;
    private TimeSpan? _lastPrintAt;
    private int _lastWidth;

    /// <summary>Creates a printer.</summary>
    /// <param name="output">Where to write (usually <see cref="Console.Error"/>).</param>
    /// <param name="totalSteps">The step count at which training ends.</param>
    /// <param name="interactive">True to update one line in place (a TTY); false to print periodic lines.</param>
    /// <param name="interval">Minimum time between non-interactive lines (default 30 s).</param>
    /// <param name="clock">Monotonic time source; null uses a <see cref="Stopwatch"/> (tests pass a fake).</param>
    public ProgressLine(TextWriter output, long totalSteps, bool interactive, TimeSpan? interval = null, Func<TimeSpan>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"totalSteps must be ≥ 1, got {totalSteps}.");
        _output = output;
        TotalSteps = totalSteps;
        Interactive = interactive;
        Interval = interval ?? TimeSpan.FromSeconds(30);
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }
        _clock = clock;
        _average = new StepTimeAverage();
        _lastStepAt = _clock();
    }

    /// <summary>A printer on standard error that updates in place when stderr is a terminal.</summary>
    /// <param name="totalSteps">The step count at which training ends.</param>
    public static ProgressLine ForStandardError(long totalSteps) =>
        new(Console.Error, totalSteps, interactive: !Console.IsErrorRedirected);

    /// <summary>The step count at which training ends.</summary>
    public long TotalSteps { get; private set; }

    /// <summary>Whether lines are rewritten in place.</summary>
    public bool Interactive { get; }

    /// <summary>Minimum time between non-interactive lines.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Restarts the step timer, e.g. after loading a checkpoint, so that loading time is not taken for a step.</summary>
    public void Restart() => _lastStepAt = _clock();

    /// <summary>Begins a run of <paramref name="totalSteps"/> steps: sets <see cref="TotalSteps"/> and restarts the step timer.</summary>
    /// <param name="totalSteps">The step count at which the run ends.</param>
    public void Start(long totalSteps)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"totalSteps must be ≥ 1, got {totalSteps}.");
        Finish();
        TotalSteps = totalSteps;
        _lastPrintAt = null;
        Restart();
    }

    /// <summary>Records that <paramref name="step"/> finished and prints the line if it is due.</summary>
    /// <param name="step">Completed steps (1-based).</param>
    /// <param name="loss">The step's loss.</param>
    /// <param name="tokens">Tokens the step processed.</param>
    public void Report(long step, double loss, long tokens)
    {
        var now = _clock();
        _average.Add((now - _lastStepAt).TotalSeconds, tokens);
        _lastStepAt = now;
        var text = Format(step, loss);
        if (Interactive)
        {
            // \r returns to the line start; padding erases a longer previous line without terminal escape codes.
            _output.Write("\r" + text.PadRight(_lastWidth));
            _lastWidth = text.Length;
            if (step >= TotalSteps) _output.WriteLine();
            _output.Flush();
            return;
        }
        if (_lastPrintAt is null || now - _lastPrintAt >= Interval || step >= TotalSteps)
        {
            _output.WriteLine(text);
            _output.Flush();
            _lastPrintAt = now;
        }
    }

    /// <summary>Ends an in-place line (call when training stops early) so later output starts on a fresh line.</summary>
    public void Finish()
    {
        if (Interactive && _lastWidth > 0)
        {
            _output.WriteLine();
            _output.Flush();
            _lastWidth = 0;
        }
    }

    /// <summary>The text of the line for <paramref name="step"/>.</summary>
    internal string Format(long step, double loss)
    {
        var c = CultureInfo.InvariantCulture;
        double percent = 100.0 * step / TotalSteps;
        return string.Create(c,
            $"step {step}/{TotalSteps} ({percent:F1}%) | loss {loss:F4} | {_average.TokensPerSecond:N0} tok/s | {_average.SecondsPerStep:F2} s/step | ETA {FormatDuration(_average.EstimateRemaining(TotalSteps - step))}");
    }

    /// <summary><c>45s</c>, <c>12m30s</c>, <c>3h05m</c>, <c>2d04h</c>.</summary>
    internal static string FormatDuration(TimeSpan t)
    {
        var c = CultureInfo.InvariantCulture;
        if (t.TotalSeconds < 60) return string.Create(c, $"{(int)Math.Round(t.TotalSeconds)}s");
        if (t.TotalMinutes < 60) return string.Create(c, $"{(int)t.TotalMinutes}m{t.Seconds:D2}s");
        if (t.TotalHours < 24) return string.Create(c, $"{(int)t.TotalHours}h{t.Minutes:D2}m");
        return string.Create(c, $"{(int)t.TotalDays}d{t.Hours:D2}h");
    }
}
