using Whetstone.Training.Metrics;

namespace Whetstone.Training.Checkpointing;

/// <summary>
/// A trainer's run directory as its step loop uses it: checkpoints (resumed from the newest one when asked),
/// <c>metrics.jsonl</c> continued after the resumed step or created, and the config snapshot each checkpoint stores.
/// Without an output directory nothing is written and the run starts at step 0.
/// </summary>
internal sealed class RunDirectory : IDisposable
{
    private readonly TrainingCheckpoints? _checkpoints;
    private readonly TrainingState _state;
    private readonly string _configJson;
    private readonly int _saveEvery;

    private RunDirectory(TrainingCheckpoints? checkpoints, TrainingState state, string configJson, int saveEvery,
        long step, DataPosition position, MetricsLog? metrics)
    {
        _checkpoints = checkpoints;
        _state = state;
        _configJson = configJson;
        _saveEvery = saveEvery;
        Step = step;
        Position = position;
        Metrics = metrics;
    }

    /// <summary>Opens <paramref name="outputDir"/> (null: in memory), loading the newest checkpoint into
    /// <paramref name="state"/> when <paramref name="resume"/> is set.</summary>
    public static RunDirectory Open(string? outputDir, bool resume, int keepLast, int saveEvery, TrainingState state, string configJson)
    {
        var checkpoints = outputDir is null ? null : new TrainingCheckpoints(outputDir, keepLast);
        long step = 0;
        var position = DataPosition.Start;
        if (resume && checkpoints!.TryResume(state) is { } resumed) (step, position) = (resumed.Step, resumed.Data);
        var metrics = outputDir is null ? null
            : step > 0 ? MetricsLog.Resume(Path.Combine(outputDir, "metrics.jsonl"), step)
            : MetricsLog.Create(Path.Combine(outputDir, "metrics.jsonl"));
        return new RunDirectory(checkpoints, state, configJson, saveEvery, step, position, metrics);
    }

    /// <summary>The step the run continues from (0 for a fresh run).</summary>
    public long Step { get; }

    /// <summary>Where in the data the resumed run continues (<see cref="DataPosition.Start"/> for a fresh run).</summary>
    public DataPosition Position { get; }

    /// <summary>The metrics log, or null without an output directory.</summary>
    public MetricsLog? Metrics { get; }

    /// <summary>True when step <paramref name="step"/> should be checkpointed: every SaveEvery steps and the last.</summary>
    public bool SaveDue(long step, long lastStep) =>
        _checkpoints is not null && _saveEvery > 0 && (step % _saveEvery == 0 || step == lastStep);

    /// <summary>Writes the checkpoint of <paramref name="step"/> (weights, optimizer, data position, config).</summary>
    public void Save(long step, DataPosition position) => _checkpoints?.Save(step, _state, position, _configJson);

    /// <inheritdoc />
    public void Dispose() => Metrics?.Dispose();
}
