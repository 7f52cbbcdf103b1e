using Whetstone.Models.Checkpoints;

namespace Whetstone.Models.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("whet-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static NamedTensor Ramp(string name, params int[] shape)
    {
        int n = shape.Aggregate(1, (a, d) => a * d);
        return new NamedTensor(name, shape, Enumerable.Range(0, n).Select(i => i * 0.25f + name.Length).ToArray());
    }

    private static readonly NamedTensor[] Model =
    [
        Ramp("model.embed_tokens.weight", 16, 8),
        Ramp("model.layers.0.self_attn.q_proj.weight", 8, 8),
        Ramp("model.layers.0.mlp.up_proj.weight", 12, 8),
        Ramp("model.norm.weight", 8),
    ];

    [Fact]
    public void A_small_model_is_one_file_that_reads_back()
    {
        var files = CheckpointWriter.Write(_dir, Model);
        Assert.Equal([Path.Combine(_dir, "model.safetensors")], files);
        using var ckpt = Checkpoint.Open(_dir);
        AssertReadsBack(ckpt);
    }

    [Fact]
    public void A_large_model_is_sharded_with_an_index_and_reads_back()
    {
        var files = CheckpointWriter.Write(_dir, Model, maxShardBytes: 16 * 8 * 4);
        Assert.Equal(4, files.Count);
        Assert.EndsWith("model-00001-of-00003.safetensors", files[0]);
        Assert.EndsWith("model.safetensors.index.json", files[^1]);
        Assert.False(File.Exists(Path.Combine(_dir, "model.safetensors")));
        var index = File.ReadAllText(files[^1]);
        Assert.Contains("\"total_size\": " + Model.Sum(t => t.Data.Length * 4), index);
        using var ckpt = Checkpoint.Open(_dir);
        AssertReadsBack(ckpt);
    }

    private static void AssertReadsBack(Checkpoint ckpt)
    {
        Assert.Equal(Model.Select(t => t.Name).Order(StringComparer.Ordinal), ckpt.Names);
        foreach (var t in Model)
        {
            var back = new float[t.Data.Length];
            ckpt.Read(t.Name, t.Shape, back);
            Assert.Equal(t.Data.ToArray(), back);
        }
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        CheckpointWriter.Write(_dir, Model);
        using var ckpt = Checkpoint.Open(_dir);
        var error = Assert.Throws<KeyNotFoundException>(() => ckpt.Read("lm_head.weight", [16, 8], new float[128]));
        Assert.Contains("'lm_head.weight'", error.Message);
        Assert.Contains(_dir, error.Message);
    }

    [Fact]
    public void A_misshapen_tensor_gives_expected_and_found_shapes()
    {
        CheckpointWriter.Write(_dir, Model);
        using var ckpt = Checkpoint.Open(_dir);
        var error = Assert.Throws<InvalidDataException>(
            () => ckpt.Read("model.layers.0.mlp.up_proj.weight", [8, 12], new float[96]));
        Assert.Contains("'model.layers.0.mlp.up_proj.weight'", error.Message);
        Assert.Contains("expected shape (8, 12), found (12, 8)", error.Message);
    }

    [Fact]
    public void An_empty_directory_says_what_it_looked_for()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Checkpoint.Open(_dir));
        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains("model.safetensors.index.json", error.Message);
    }

    [Fact]
    public void An_index_naming_a_tensor_its_shard_lacks_is_corrupt()
    {
        CheckpointWriter.Write(_dir, Model, maxShardBytes: 16 * 8 * 4);
        var indexPath = Path.Combine(_dir, Checkpoint.IndexFileName);
        File.WriteAllText(indexPath, File.ReadAllText(indexPath).Replace("\"model.norm.weight\"", "\"model.ghost.weight\""));
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Open(_dir));
        Assert.Contains("model.ghost.weight", error.Message);
    }

    [Fact]
    public void A_failed_atomic_write_keeps_the_old_file_and_leaves_no_temporary()
    {
        var path = Path.Combine(_dir, "keep.txt");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(1);
            throw new IOException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["keep.txt"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }
}
