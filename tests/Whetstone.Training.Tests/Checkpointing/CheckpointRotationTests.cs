using Whetstone.Training.Checkpointing;

namespace Whetstone.Training.Tests.Checkpointing;

public class CheckpointRotationTests
{
    [Fact]
    public void RotationKeepsTheLastK()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path, keepLast: 2);
        for (long step = 1; step <= 5; step++)
        {
            t.Step();
            store.Save(step, t.State, DataPosition.Start);
        }
        Assert.Equal([4L, 5L], store.CompleteCheckpoints().Select(c => c.Step));
        // Nothing else is left behind: no partial or half-deleted folders.
        Assert.Equal(["step-000004", "step-000005"], Directory.GetDirectories(store.Directory).Select(d => Path.GetFileName(d)!).Order());
        Assert.Equal("step-000005\n", File.ReadAllText(store.LatestPointerPath));
    }

    [Fact]
    public void ACheckpointWithoutManifestIsSkippedOnResume()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path, keepLast: 3);
        t.Steps(2);
        store.Save(2, t.State, new DataPosition(0, 2));
        var atTwo = t.Parameters[0].Value.ToArray();
        t.Steps(2);
        var four = store.Save(4, t.State, new DataPosition(0, 4));
        File.Delete(Path.Combine(four, "manifest.json")); // as if the process died before the manifest was written

        using var r = new TinyTraining(seed: 5);
        var warnings = new List<string>();
        var point = store.TryResume(r.State, warnings.Add);

        Assert.Equal(2, point!.Step);
        Assert.Equal(atTwo, r.Parameters[0].Value.ToArray());
        Assert.Contains(warnings, w => w.Contains(four) && w.Contains("manifest.json"));
        Assert.Single(point.Warnings);
    }

    [Fact]
    public void LeftoversOfAKilledSaveAreIgnoredAndCleanedByTheNextSave()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path, keepLast: 2);
        t.Step();
        store.Save(1, t.State, DataPosition.Start);
        // A save of step 2 killed mid-write (still in its .partial folder), and a step-3 folder with only weights.
        var partial = Directory.CreateDirectory(Path.Combine(store.Directory, ".step-000002.partial")).FullName;
        File.WriteAllText(Path.Combine(partial, "model.safetensors"), "torn");
        var torn = Directory.CreateDirectory(store.PathOf(3)).FullName;
        File.WriteAllText(Path.Combine(torn, "model.safetensors"), "torn");

        using var r = new TinyTraining(seed: 3);
        Assert.Equal(1, store.TryResume(r.State, _ => { })!.Step);

        r.Step();
        store.Save(2, r.State, DataPosition.Start);
        Assert.False(Directory.Exists(partial));
        Assert.Equal([1L, 2L], store.CompleteCheckpoints().Select(c => c.Step));
        // The incomplete step-3 folder is newer than anything saved, so it stays until a save replaces it.
        r.Step();
        store.Save(3, r.State, DataPosition.Start);
        Assert.Equal([2L, 3L], store.CompleteCheckpoints().Select(c => c.Step));
        Assert.Equal(3, store.TryResume(r.State, _ => { })!.Step);
    }

    [Fact]
    public void AFinishedPartialFolderWhoseRenameWasInterruptedIsRecovered()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var store = new TrainingCheckpoints(dir.Path);
        t.Steps(2);
        store.Save(2, t.State, DataPosition.Start);
        // Killed after the old step-2 folder was discarded but before the finished .partial was renamed into place.
        Directory.Move(store.PathOf(2), Path.Combine(store.Directory, ".step-000002.partial"));

        using var r = new TinyTraining(seed: 6);
        Assert.Equal(2, store.TryResume(r.State, _ => { })!.Step);
        Assert.Equal(t.Parameters[0].Value.ToArray(), r.Parameters[0].Value.ToArray());
        Assert.True(Directory.Exists(store.PathOf(2)));
    }

    [Fact]
    public void TheOptimizerMustUpdateTheCheckpointedParameters()
    {
        using var t = new TinyTraining();
        var other = new Tensors.Autograd.ParameterSet();
        Assert.Throws<ArgumentException>(() => new TrainingState(other, t.Optimizer));
    }

    [Fact]
    public void NoCheckpointMeansStartFromScratch()
    {
        using var dir = new TempDir();
        using var t = new TinyTraining();
        var before = t.Parameters[0].Value.ToArray();
        Assert.Null(new TrainingCheckpoints(dir.Path).TryResume(t.State, _ => { }));
        Assert.Equal(before, t.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void KeepLastMustBePositive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingCheckpoints("run", keepLast: 0));
}
