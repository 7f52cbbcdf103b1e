using Whetstone.Training.Checkpointing;

namespace Whetstone.Training.Tests.Checkpointing;

public class VerifyWeightsTests
{
    private static string SavedCheckpoint(TempDir dir)
    {
        using var t = new TinyTraining();
        t.Steps(2);
        return new TrainingCheckpoints(dir.Path).Save(2, t.State, DataPosition.Start);
    }

    private static void FlipLastByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void AnIntactCheckpointVerifiesAndReturnsItsManifest()
    {
        using var dir = new TempDir();
        var manifest = TrainingCheckpoints.VerifyWeights(SavedCheckpoint(dir));

        Assert.Equal(2, manifest.Step);
        Assert.Contains(manifest.Files, f => f.Name == "model.safetensors");
    }

    [Fact]
    public void AFlippedByteInTheWeightsIsNamed()
    {
        using var dir = new TempDir();
        var weights = Path.Combine(SavedCheckpoint(dir), "model.safetensors");
        FlipLastByte(weights);

        var e = Assert.Throws<CorruptCheckpointException>(() => TrainingCheckpoints.VerifyWeights(Path.GetDirectoryName(weights)!));

        Assert.Equal(weights, e.FilePath);
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void TheOptimizerFilesAreNotRead()
    {
        // An export uses the weights alone, so a damaged moment file must not stop it (a resume still refuses it).
        using var dir = new TempDir();
        var folder = SavedCheckpoint(dir);
        FlipLastByte(Path.Combine(folder, "optimizer.safetensors"));
        File.Delete(Path.Combine(folder, "trainer_state.json"));

        Assert.Equal(2, TrainingCheckpoints.VerifyWeights(folder).Step);
    }

    [Fact]
    public void ACheckpointWithoutManifestIsNamedAsIncomplete()
    {
        using var dir = new TempDir();
        var folder = SavedCheckpoint(dir);
        File.Delete(Path.Combine(folder, "manifest.json"));

        var e = Assert.Throws<CorruptCheckpointException>(() => TrainingCheckpoints.VerifyWeights(folder));

        Assert.Equal(Path.Combine(folder, "manifest.json"), e.FilePath);
        Assert.Contains("never completed", e.Message);
    }
}
