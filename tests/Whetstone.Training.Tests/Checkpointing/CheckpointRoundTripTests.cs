using Whetstone.Training.Checkpointing;

namespace Whetstone.Training.Tests.Checkpointing;

public class CheckpointRoundTripTests
{
    [Fact]
    public void SaveThenLoadRestoresParametersMomentsStepLearningRateAndRngsExactly()
    {
        using var dir = new TempDir();
        using var a = new TinyTraining(seed: 1);
        a.Steps(5);
        a.Noise.NextNormal(); // leave a spare Box–Muller sample pending: it must survive too
        var store = new TrainingCheckpoints(dir.Path);
        store.Save(5, a.State, new DataPosition(2, 17, """{"queue":[3,1,4]}"""), """{"lr":0.05}""");

        using var b = new TinyTraining(seed: 2); // different weights, moments, RNG streams
        var point = store.TryResume(b.State, _ => { });

        Assert.NotNull(point);
        Assert.Equal(5, point.Step);
        Assert.Equal(2, point.Data.Epoch);
        Assert.Equal(17, point.Data.Index);
        Assert.Equal("""{"queue":[3,1,4]}""", point.Data.StateJson);
        Assert.Equal("""{"lr":0.05}""", point.ConfigJson);
        Assert.Equal(TrainingCheckpoints.ConfigHash("""{"lr":0.05}"""), point.ConfigSha256);
        Assert.Empty(point.Warnings);
        for (int i = 0; i < a.Parameters.Count; i++)
        {
            Assert.Equal(a.Parameters[i].Value.ToArray(), b.Parameters[i].Value.ToArray());
            Assert.Equal(a.Optimizer.FirstMoment(i).ToArray(), b.Optimizer.FirstMoment(i).ToArray());
            Assert.Equal(a.Optimizer.SecondMoment(i).ToArray(), b.Optimizer.SecondMoment(i).ToArray());
        }
        Assert.Equal(a.Optimizer.StepCount, b.Optimizer.StepCount);
        Assert.Equal(a.Optimizer.LearningRate, b.Optimizer.LearningRate);
        Assert.Equal(a.Noise.GetState(), b.Noise.GetState());
        Assert.Equal(a.Sampling.GetState(), b.Sampling.GetState());
    }

    [Fact]
    public void ContinuingFromALoadedCheckpointIsBitIdenticalToNeverStopping()
    {
        using var dir = new TempDir();
        using var straight = new TinyTraining();
        var losses = Enumerable.Range(0, 8).Select(_ => straight.Step()).ToArray();

        using var first = new TinyTraining();
        first.Steps(3);
        var store = new TrainingCheckpoints(dir.Path);
        store.Save(3, first.State, DataPosition.Start);

        using var resumed = new TinyTraining(seed: 9);
        var point = store.TryResume(resumed.State, _ => { })!;
        resumed.StepsDone = point.Step;
        var rest = Enumerable.Range(0, 5).Select(_ => resumed.Step()).ToArray();

        Assert.Equal(losses[3..], rest);
        for (int i = 0; i < straight.Parameters.Count; i++)
            Assert.Equal(straight.Parameters[i].Value.ToArray(), resumed.Parameters[i].Value.ToArray());
    }

    [Fact]
    public void CheckpointHoldsModelOptimizerTrainerStateConfigAndManifest()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        t.Steps(1);
        var path = new TrainingCheckpoints(dir.Path).Save(1, t.State, DataPosition.Start, "{}");

        Assert.Equal(Path.Combine(dir.Path, "checkpoints", "step-000001"), path);
        var names = Directory.GetFiles(path).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(["manifest.json", "model.safetensors", "optimizer.json", "optimizer.safetensors", "trainer_state.json", "training_config.json"], names);
        // The weights are a plain HF safetensors file under the parameters' own names.
        using var weights = Whetstone.Models.Checkpoints.Checkpoint.Open(path);
        Assert.Equal(t.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal), weights.Names);
        Assert.Equal("step-000001\n", File.ReadAllText(Path.Combine(dir.Path, "checkpoints", "latest")));
    }

    [Fact]
    public void RngNamesMustBeUniqueAndPlain()
    {
        using var t = new TinyTraining();
        Assert.Throws<ArgumentException>(() => t.State.AddRng("noise", new Tensors.Rng(1)));
        Assert.Throws<ArgumentException>(() => t.State.AddRng("a/b", new Tensors.Rng(1)));
    }

    [Fact]
    public void InvalidDataStateJsonIsRejectedBeforeWriting()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path);
        var e = Assert.Throws<ArgumentException>(() => store.Save(1, t.State, new DataPosition(0, 0, "{not json")));
        Assert.Contains("StateJson", e.Message);
        Assert.Empty(store.CompleteCheckpoints());
    }
}
