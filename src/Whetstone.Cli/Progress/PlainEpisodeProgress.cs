using System.Diagnostics;
using System.Globalization;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Cli.Progress;

/// <summary>
/// Line-based episode progress for redirected stderr: <c>rollout: episodes 40/100 (40.0%) | success 38/40 (95.0%) |
/// 3.1 episodes/s | ETA 19s</c> after the first episode, then at most once per interval, and always after the last.
/// </summary>
internal sealed class PlainEpisodeProgress : IEpisodeProgress
{
    private readonly Lock _gate = new();
    private readonly TextWriter _output;
    private readonly string _label;
    private readonly TimeSpan _interval;
    private readonly EpisodeTally _tally;
    private readonly Func<TimeSpan> _clock;
    private TimeSpan? _lastPrintAt;
    private int _printedAt = -1;

    // clock: a monotonic time source; null uses a Stopwatch (tests pass a fake).
    public PlainEpisodeProgress(TextWriter output, string label, int total, TimeSpan interval, Func<TimeSpan>? clock = null)
    {
        (_output, _label, _interval, _tally) = (output, label, interval, new EpisodeTally(total));
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }
        _clock = clock;
    }

    public void Add(Trajectory trajectory)
    {
        lock (_gate)
        {
            _tally.Add(trajectory);
            var now = _clock();
            if (_lastPrintAt is null || now - _lastPrintAt >= _interval || _tally.Done >= _tally.Total)
                Print(now);
        }
    }

    public void Finish()
    {
        lock (_gate)
            if (_printedAt != _tally.Done)
                Print(_clock());
    }

    private void Print(TimeSpan now)
    {
        _lastPrintAt = now;
        _printedAt = _tally.Done;
        double seconds = Math.Max(now.TotalSeconds, 1e-9), rate = _tally.Done / seconds;
        var eta = rate > 0 ? TimeSpan.FromSeconds((_tally.Total - _tally.Done) / rate) : TimeSpan.Zero;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{_label}: episodes {_tally.Done}/{_tally.Total} ({100.0 * _tally.Done / Math.Max(1, _tally.Total):F1}%) | {_tally.SuccessText()} | {rate:F1} episodes/s | ETA {DurationText.Format(eta)}"));
        _output.Flush();
    }
}
