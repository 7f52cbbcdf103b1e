using System.Diagnostics;
using System.Text;
using Whetstone.Tensors;

namespace Whetstone.Training.Tests.Checkpointing;

/// <summary>
/// The crash test. tests/Whetstone.Training.CrashChild is a small training run (MLP, AdamW, warmup-cosine,
/// clipping, shuffled batches, input noise from a registered RNG) that checkpoints every few steps. It is run
/// once uninterrupted, and once killed with SIGKILL and restarted with --resume; the final weights and the
/// metrics log of the two must be byte-identical.
/// </summary>
public class CrashResumeTests
{
    private const int TotalSteps = 30;
    private const int CheckpointEvery = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2); // a loaded 2-core machine can be very slow

    [Fact]
    public async Task KilledBetweenCheckpointsAndResumedMatchesAnUninterruptedRunBitForBit()
    {
        using var dir = new TempDir();
        var reference = Path.Combine(dir.Path, "reference");
        var crashed = Path.Combine(dir.Path, "crashed");
        await RunToEnd(reference);

        // A seeded "random" step strictly between two checkpoints.
        var rng = new Rng(20261122);
        int killAt;
        do killAt = 1 + rng.NextInt(TotalSteps - 1); while (killAt % CheckpointEvery == 0 || killAt < CheckpointEvery);

        using (var child = Start(crashed, "--pause-after", killAt.ToString()))
        {
            Assert.Equal("fresh", await child.ReadLine());
            for (int s = 1; s <= killAt; s++) Assert.Equal($"step {s}", await child.ReadLine());
            Assert.Equal($"paused {killAt}", await child.ReadLine());
            child.Kill();
        }
        Assert.False(File.Exists(Path.Combine(crashed, "final.safetensors")));
        Assert.Equal(killAt, File.ReadLines(Path.Combine(crashed, "metrics.jsonl")).Count()); // steps logged past the last checkpoint

        var output = await RunToEnd(crashed, "--resume");
        int checkpoint = killAt / CheckpointEvery * CheckpointEvery;
        Assert.Equal($"resumed {checkpoint}", output[0]);
        Assert.Equal($"step {checkpoint + 1}", output[1]);

        AssertSameRun(reference, crashed);
    }

    [Fact]
    public async Task KilledAtAnArbitraryInstantAndResumedMatchesAnUninterruptedRun()
    {
        // No pause: the kill lands wherever the child happens to be, possibly in the middle of writing a checkpoint.
        using var dir = new TempDir();
        var reference = Path.Combine(dir.Path, "reference");
        var crashed = Path.Combine(dir.Path, "crashed");
        await RunToEnd(reference, every: 2);
        using (var child = Start(crashed, every: 2))
        {
            Assert.Equal("fresh", await child.ReadLine());
            Assert.Equal("step 1", await child.ReadLine());
            Assert.Equal("step 2", await child.ReadLine());
            child.Kill();
        }
        await RunToEnd(crashed, "--resume", every: 2);
        AssertSameRun(reference, crashed);
    }

    private static void AssertSameRun(string reference, string resumed)
    {
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "final.safetensors")), File.ReadAllBytes(Path.Combine(resumed, "final.safetensors")));
        // Every metric (loss, lr, grad norm, epoch, weight RMS) is deterministic, so the logs match line for line:
        // the lines past the checkpoint were dropped on resume and written again, once each.
        Assert.Equal(File.ReadAllLines(Path.Combine(reference, "metrics.jsonl")), File.ReadAllLines(Path.Combine(resumed, "metrics.jsonl")));
        Assert.Equal(TotalSteps, File.ReadLines(Path.Combine(resumed, "metrics.jsonl")).Count());
    }

    private static async Task<List<string>> RunToEnd(string runDir, string? flag = null, int every = CheckpointEvery)
    {
        using var child = flag is null ? Start(runDir, every: every) : Start(runDir, every, flag);
        var lines = new List<string>();
        while (await child.ReadLine() is { } line) lines.Add(line);
        int code = await child.WaitForExit();
        Assert.True(code == 0, $"child exited with {code}: {child.Errors}");
        Assert.Equal("done", lines[^1]);
        return lines;
    }

    private static ChildProcess Start(string runDir, params string[] extra) => Start(runDir, CheckpointEvery, extra);

    private static ChildProcess Start(string runDir, int every, params string[] extra)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Whetstone.Training.CrashChild.dll");
        Assert.True(File.Exists(dll), $"The crash child was not built next to the tests: {dll}");
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, runDir, TotalSteps.ToString(), every.ToString() }.Concat(extra)) info.ArgumentList.Add(a);
        return new ChildProcess(Process.Start(info)!);
    }

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>A child process read line by line, with generous timeouts and its stderr kept for failure messages.</summary>
    private sealed class ChildProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _errors = new();

        public ChildProcess(Process process)
        {
            _process = process;
            _process.ErrorDataReceived += (_, e) => { lock (_errors) _errors.AppendLine(e.Data); };
            _process.BeginErrorReadLine();
        }

        public string Errors { get { lock (_errors) return _errors.ToString(); } }

        public async Task<string?> ReadLine() => await _process.StandardOutput.ReadLineAsync().WaitAsync(Patience);

        public async Task<int> WaitForExit()
        {
            await _process.WaitForExitAsync().WaitAsync(Patience);
            return _process.ExitCode;
        }

        /// <summary>SIGKILL on Linux and macOS: no finally blocks, no flushing, exactly like a crash or an OOM kill.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
