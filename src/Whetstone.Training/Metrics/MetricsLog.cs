using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Whetstone.Training.Metrics;

/// <summary>
/// A JSONL metrics file, one object per optimizer step, each line flushed to the operating system as soon as it
/// is written (a killed process loses nothing it logged). <see cref="Resume"/> first drops every line past the
/// resumed step, and any torn last line, so a resumed run's log reads exactly like an uninterrupted run's.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    private MetricsLog(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Starts a new log at <paramref name="path"/>, replacing any previous file.</summary>
    /// <param name="path">Usually <c>run_dir/metrics.jsonl</c>.</param>
    public static MetricsLog Create(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return new MetricsLog(full, new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.Read));
    }

    /// <summary>
    /// Reopens the log of a run resumed after <paramref name="resumedStep"/> completed steps: keeps the lines with
    /// <c>step ≤ resumedStep</c>, drops later ones (they belong to work the resume redoes) and unparseable ones
    /// (a line torn by a crash), rewrites the file atomically, and appends from there.
    /// </summary>
    /// <param name="path">The run's metrics file; a missing file starts an empty log.</param>
    /// <param name="resumedStep">The step the checkpoint restored.</param>
    public static MetricsLog Resume(string path, long resumedStep)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
        {
            var kept = new StringBuilder();
            foreach (var line in File.ReadLines(full))
                if (StepOf(line) is long step && step <= resumedStep)
                    kept.Append(line).Append('\n');
            Whetstone.Models.Checkpoints.AtomicFile.WriteAllText(full, kept.ToString());
        }
        else
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return new MetricsLog(full, new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    /// <summary>Appends one line and flushes it.</summary>
    /// <param name="metrics">The step's metrics.</param>
    public void Write(StepMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _buffer.Clear();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("step", metrics.Step);
            Number(json, "epoch", metrics.Epoch);
            Number(json, "loss", metrics.Loss);
            Number(json, "lr", metrics.LearningRate);
            Number(json, "grad_norm", metrics.GradNorm);
            if (metrics.Tokens is long t) json.WriteNumber("tokens", t);
            Number(json, "tokens_per_s", metrics.TokensPerSecond);
            Number(json, "time_s", metrics.ElapsedSeconds);
            foreach (var (name, value) in metrics.Extra) Number(json, name, value);
            json.WriteEndObject();
        }
        _buffer.Write("\n"u8);
        _stream.Write(_buffer.WrittenSpan);
        _stream.Flush();
    }

    /// <summary>Reads the <c>step</c> of every parseable line of a metrics file, in file order.</summary>
    /// <param name="path">A metrics JSONL file.</param>
    public static IReadOnlyList<long> ReadSteps(string path) =>
        File.ReadLines(path).Select(StepOf).Where(s => s is not null).Select(s => s!.Value).ToList();

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is not double v) return;
        // JSON has no NaN/Infinity literals; strings keep the line valid and the value readable (pandas parses them).
        if (double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteString(name, double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }

    private static long? StepOf(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("step", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out long step)
                ? step : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
