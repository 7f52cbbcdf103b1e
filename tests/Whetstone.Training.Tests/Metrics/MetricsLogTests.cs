using System.Text.Json;
using Whetstone.Training.Metrics;
using Whetstone.Training.Tests.Checkpointing;

namespace Whetstone.Training.Tests.Metrics;

public class MetricsLogTests
{
    [Fact]
    public void WritesOneFlushedJsonObjectPerStepWithStandardAndExtraFields()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "metrics.jsonl");
        using var log = MetricsLog.Create(path);
        log.Write(new StepMetrics(1) { Epoch = 0.25, Loss = 2.5, LearningRate = 1e-3, GradNorm = 0.75, Tokens = 512, TokensPerSecond = 1000, ElapsedSeconds = 0.5 }
            .Set("reward_mean", 0.4).Set("kl", 0.01));

        // Readable while still open: each line is flushed as it is written.
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var line = new StreamReader(reader).ReadToEnd();
        Assert.EndsWith("\n", line);
        Assert.Equal(
            """{"step":1,"epoch":0.25,"loss":2.5,"lr":0.001,"grad_norm":0.75,"tokens":512,"tokens_per_s":1000,"time_s":0.5,"reward_mean":0.4,"kl":0.01}""",
            line.TrimEnd('\n'));
    }

    [Fact]
    public void OmitsUnsetFieldsAndWritesNonFiniteValuesAsStrings()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "m.jsonl");
        using (var log = MetricsLog.Create(path))
            log.Write(new StepMetrics(7) { Loss = double.NaN }.Set("kl", double.PositiveInfinity));
        var line = File.ReadAllText(path).TrimEnd('\n');
        Assert.Equal("""{"step":7,"loss":"NaN","kl":"Infinity"}""", line);
        using var _ = JsonDocument.Parse(line); // still valid JSON
    }

    [Fact]
    public void ExtraMetricsCannotShadowStandardFieldsAndReplaceThemselves()
    {
        var m = new StepMetrics(1);
        Assert.Throws<ArgumentException>(() => m.Set("loss", 1));
        m.Set("kl", 1).Set("kl", 2);
        Assert.Equal([new KeyValuePair<string, double>("kl", 2)], m.Extra);
    }

    [Fact]
    public void ResumeDropsLinesPastTheResumedStepAndATornLineThenAppends()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "metrics.jsonl");
        using (var log = MetricsLog.Create(path))
            for (int s = 1; s <= 7; s++) log.Write(new StepMetrics(s) { Loss = s });
        File.AppendAllText(path, "{\"step\":8,\"lo"); // the crash tore the last line

        using (var log = MetricsLog.Resume(path, resumedStep: 5))
            for (int s = 6; s <= 9; s++) log.Write(new StepMetrics(s) { Loss = 10 * s });

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8, 9], MetricsLog.ReadSteps(path));
        var losses = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal([1.0, 2, 3, 4, 5, 60, 70, 80, 90], losses);
    }

    [Fact]
    public void ResumeWithoutAFileStartsOneAndCreateReplacesAnOldOne()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "sub", "metrics.jsonl");
        using (var log = MetricsLog.Resume(path, 3)) log.Write(new StepMetrics(4));
        Assert.Equal([4L], MetricsLog.ReadSteps(path));
        using (var log = MetricsLog.Create(path)) log.Write(new StepMetrics(1));
        Assert.Equal([1L], MetricsLog.ReadSteps(path));
    }
}
