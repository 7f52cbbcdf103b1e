using Whetstone.Training.Checkpointing;

namespace Whetstone.Training.Tests.Checkpointing;

public class CorruptCheckpointTests
{
    /// <summary>Saves checkpoints at steps 2 and 4 and returns the store and the step-2 weights.</summary>
    private static (TrainingCheckpoints Store, float[] AtTwo) TwoCheckpoints(TempDir dir)
    {
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path);
        t.Steps(2);
        store.Save(2, t.State, DataPosition.Start);
        var atTwo = t.Parameters[2].Value.ToArray();
        t.Steps(2);
        store.Save(4, t.State, DataPosition.Start);
        return (store, atTwo);
    }

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("optimizer.safetensors")]
    [InlineData("trainer_state.json")]
    [InlineData("optimizer.json")]
    public void AFlippedByteIsCaughtByTheHashNamingTheFileAndResumeFallsBack(string file)
    {
        using var dir = new TempDir();
        var (store, atTwo) = TwoCheckpoints(dir);
        var path = Path.Combine(store.PathOf(4), file);
        var bytes = File.ReadAllBytes(path);
        bytes[^2] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        using var r = new TinyTraining(seed: 4);
        var e = Assert.Throws<CorruptCheckpointException>(() => TrainingCheckpoints.Load(store.PathOf(4), r.State));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
        Assert.Contains("SHA-256", e.Message);

        var warnings = new List<string>();
        var point = store.TryResume(r.State, warnings.Add);
        Assert.Equal(2, point!.Step);
        Assert.Equal(atTwo, r.Parameters[2].Value.ToArray());
        Assert.Contains(warnings, w => w.Contains(path) && w.Contains("Falling back"));
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        using var dir = new TempDir();
        var (store, _) = TwoCheckpoints(dir);
        var path = Path.Combine(store.PathOf(4), "optimizer.safetensors");
        File.Delete(path);
        using var r = new TinyTraining();
        var e = Assert.Throws<CorruptCheckpointException>(() => TrainingCheckpoints.Load(store.PathOf(4), r.State));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void AnUnreadableManifestIsNamedAndSkipped()
    {
        using var dir = new TempDir();
        var (store, _) = TwoCheckpoints(dir);
        var manifest = Path.Combine(store.PathOf(4), "manifest.json");
        File.WriteAllText(manifest, "{\"format\": \"whetstone.training_checkpoint\", \"vers");
        using var r = new TinyTraining();
        var e = Assert.Throws<CorruptCheckpointException>(() => TrainingCheckpoints.Load(store.PathOf(4), r.State));
        Assert.Equal(manifest, e.FilePath);
        Assert.Equal(2, store.TryResume(r.State, _ => { })!.Step);
    }

    [Fact]
    public void AShapeMismatchNamesTheTensorAndFileAndLeavesTheStateUntouched()
    {
        using var dir = new TempDir();
        using (var t = new TinyTraining(hidden: 6))
            new TrainingCheckpoints(dir.Path).Save(1, t.State, DataPosition.Start);

        using var other = new TinyTraining(hidden: 5); // a different model shape
        var before = other.Parameters.Select(p => p.Value.ToArray()).ToList();
        var stepBefore = other.Optimizer.StepCount;
        var store = new TrainingCheckpoints(dir.Path);
        var e = Assert.Throws<CorruptCheckpointException>(() => TrainingCheckpoints.Load(store.PathOf(1), other.State));
        Assert.Equal(Path.Combine(store.PathOf(1), "model.safetensors"), e.FilePath);
        Assert.Contains("'model.up.weight'", e.Message);
        Assert.Contains("(6, 4)", e.Message);

        // With no intact checkpoint left, resume starts from scratch and the live state is as it was.
        var warnings = new List<string>();
        Assert.Null(store.TryResume(other.State, warnings.Add));
        Assert.Single(warnings);
        Assert.Equal(before, other.Parameters.Select(p => p.Value.ToArray()).ToList());
        Assert.Equal(stepBefore, other.Optimizer.StepCount);
    }

    [Fact]
    public void AnRngTheRunRegistersButTheCheckpointLacksIsAnError()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path);
        store.Save(1, t.State, DataPosition.Start);
        using var r = new TinyTraining();
        r.State.AddRng("dropout", new Tensors.Rng(3));
        var e = Assert.Throws<CorruptCheckpointException>(() => TrainingCheckpoints.Load(store.PathOf(1), r.State));
        Assert.EndsWith("trainer_state.json", e.FilePath);
        Assert.Contains("'dropout'", e.Message);
    }

    [Fact]
    public void ChangedHyperParametersResumeWithAWarning()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path);
        store.Save(1, t.State, DataPosition.Start);
        var changed = new Tensors.Optim.AdamW(t.Parameters, new Tensors.Optim.AdamWOptions { Beta2 = 0.95f });
        var warnings = new List<string>();
        var point = store.TryResume(new TrainingState(t.Parameters, changed), warnings.Add);
        Assert.Equal(1, point!.Step);
        Assert.Contains(warnings, w => w.Contains("beta2") && w.Contains("optimizer.json"));
    }
}
