using System.Text.Json;

namespace Whetstone.Models.Checkpoints;

/// <summary>
/// Writes a Hugging Face model directory's weights: one <c>model.safetensors</c>, or, past
/// <c>maxShardBytes</c>, shards <c>model-00001-of-0000N.safetensors</c> plus <c>model.safetensors.index.json</c>.
/// </summary>
public static class CheckpointWriter
{
    /// <summary>Writes <paramref name="tensors"/> into <paramref name="directory"/>.</summary>
    /// <param name="directory">Target directory (created if needed).</param>
    /// <param name="tensors">Tensors with their HF names.</param>
    /// <param name="dtype">Stored element type.</param>
    /// <param name="maxShardBytes">Largest shard; HF's default is 5 GB.</param>
    /// <returns>The files written, shards first and the index last.</returns>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<NamedTensor> tensors,
        TensorDType dtype = TensorDType.F32, long maxShardBytes = 5_000_000_000)
    {
        Directory.CreateDirectory(directory);
        long Bytes(NamedTensor t) => (long)t.Data.Length * dtype.Size();
        long total = tensors.Sum(Bytes);
        if (total <= maxShardBytes)
        {
            var single = Path.Combine(directory, Checkpoint.SingleFileName);
            SafetensorsWriter.Write(single, tensors, dtype);
            File.Delete(Path.Combine(directory, Checkpoint.IndexFileName));
            return [single];
        }

        var shards = new List<List<NamedTensor>> { new() };
        long current = 0;
        foreach (var t in tensors)
        {
            if (current > 0 && current + Bytes(t) > maxShardBytes)
            {
                shards.Add([]);
                current = 0;
            }
            shards[^1].Add(t);
            current += Bytes(t);
        }

        var written = new List<string>();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            var name = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            var path = Path.Combine(directory, name);
            SafetensorsWriter.Write(path, shards[i], dtype);
            written.Add(path);
            foreach (var t in shards[i])
                weightMap[t.Name] = name;
        }
        // The index goes last: a reader that finds it finds every shard it names complete.
        var index = new { metadata = new { total_size = total }, weight_map = weightMap };
        var indexPath = Path.Combine(directory, Checkpoint.IndexFileName);
        AtomicFile.WriteAllText(indexPath, JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }));
        File.Delete(Path.Combine(directory, Checkpoint.SingleFileName));
        written.Add(indexPath);
        return written;
    }
}
