using System.Globalization;
using Spectre.Console;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Cli.Progress;

/// <summary>Episode progress as one bar of a Spectre.Console live display: <c>eval 40/100 | success 38/40 (95.0%)</c>.</summary>
internal sealed class LiveEpisodeProgress : IEpisodeProgress
{
    private readonly Lock _gate = new();
    private readonly string _label;
    private readonly EpisodeTally _tally;
    private readonly ProgressTask _task;

    public LiveEpisodeProgress(ProgressContext context, string label, int total)
    {
        (_label, _tally) = (label, new EpisodeTally(total));
        _task = context.AddTask(Describe(), maxValue: Math.Max(1, total));
    }

    public void Add(Trajectory trajectory)
    {
        lock (_gate)
        {
            _tally.Add(trajectory);
            _task.Value = _tally.Done;
            _task.Description = Describe();
        }
    }

    public void Finish()
    {
        lock (_gate)
            _task.StopTask();
    }

    private string Describe() => Markup.Escape(string.Create(CultureInfo.InvariantCulture,
        $"{_label} {_tally.Done}/{_tally.Total} | {_tally.SuccessText()}"));
}
