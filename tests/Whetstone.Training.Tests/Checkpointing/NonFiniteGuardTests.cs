using Whetstone.Training.Checkpointing;

namespace Whetstone.Training.Tests.Checkpointing;

public class NonFiniteGuardTests
{
    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NonFiniteLossStopsWithStepAndValue(double loss, string shown)
    {
        var e = Assert.Throws<TrainingDivergedException>(() => NonFiniteGuard.CheckLoss(42, loss));
        Assert.Equal(42, e.Step);
        Assert.Contains("step 42", e.Message);
        Assert.Contains($"loss is {shown}", e.Message);
    }

    [Fact]
    public void FiniteValuesPass()
    {
        NonFiniteGuard.CheckLoss(1, 2.5);
        NonFiniteGuard.CheckGradientNorm(1, 0);
        Assert.Throws<TrainingDivergedException>(() => NonFiniteGuard.CheckGradientNorm(3, double.NaN));
    }

    [Fact]
    public void NaNLossStopsTheRunAndLeavesTheLastGoodCheckpointIntact()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path);
        t.Steps(3);
        var good = store.Save(3, t.State, new DataPosition(0, 3));
        var snapshot = Snapshot(good);
        var weights = t.Parameters.Select(p => p.Value.ToArray()).ToList();

        t.Step();
        t.PoisonInput = float.NaN;
        var e = Assert.Throws<TrainingDivergedException>(() => t.Step());
        Assert.Equal(5, e.Step);
        Assert.Contains("step 5: loss is NaN", e.Message);

        Assert.Equal(snapshot, Snapshot(good));
        Assert.Equal([3L], store.CompleteCheckpoints().Select(c => c.Step));
        using var r = new TinyTraining(seed: 8);
        Assert.Equal(3, store.TryResume(r.State, _ => { })!.Step);
        Assert.Equal(weights, r.Parameters.Select(p => p.Value.ToArray()).ToList());
    }

    [Fact]
    public void SaveRefusesNaNWeightsAndWritesNothing()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path);
        t.Steps(2);
        var good = store.Save(2, t.State, DataPosition.Start);
        var snapshot = Snapshot(good);

        t.W1.AsSpan()[5] = float.NaN;
        var e = Assert.Throws<TrainingDivergedException>(() => store.Save(3, t.State, DataPosition.Start));
        Assert.Contains("parameter 'model.up.weight' element 5", e.Message);
        Assert.Contains("step 3", e.Message);

        Assert.False(Directory.Exists(store.PathOf(3)));
        Assert.Equal(["step-000002"], Directory.GetDirectories(store.Directory).Select(d => Path.GetFileName(d)!));
        Assert.Equal(snapshot, Snapshot(good));
        Assert.Equal("step-000002\n", File.ReadAllText(store.LatestPointerPath));
    }

    [Fact]
    public void SaveRefusesANonFiniteOptimizerMoment()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        t.Steps(1);
        t.Optimizer.SecondMoment(2).AsSpan()[0] = float.PositiveInfinity;
        var e = Assert.Throws<TrainingDivergedException>(() => new TrainingCheckpoints(dir.Path).Save(1, t.State, DataPosition.Start));
        Assert.Contains("second moment of 'lm_head.weight'", e.Message);
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f)!, f => Convert.ToHexString(File.ReadAllBytes(f)));
}
