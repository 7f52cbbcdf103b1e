using System.Text.Json;

namespace Whetstone.Models.Checkpoints;

/// <summary>
/// The weights of a Hugging Face model directory: a single <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c>. Reads check each tensor's shape and name the tensor when it is missing
/// or misshapen.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    /// <summary>File name of the shard index.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>File name of a single-file checkpoint.</summary>
    public const string SingleFileName = "model.safetensors";

    private readonly Dictionary<string, SafetensorsFile> _byTensor;
    private readonly List<SafetensorsFile> _files;

    /// <summary>Where the checkpoint was opened from.</summary>
    public string Location { get; }

    private Checkpoint(string location, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> byTensor)
    {
        Location = location;
        _files = files;
        _byTensor = byTensor;
    }

    /// <summary>Every tensor name, sorted.</summary>
    public IEnumerable<string> Names => _byTensor.Keys.Order(StringComparer.Ordinal);

    /// <summary>Whether the checkpoint holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byTensor.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    public SafetensorsEntry Entry(string name) =>
        _byTensor.TryGetValue(name, out var file) ? file.Entries[name] : throw Missing(name);

    /// <summary>Opens a model directory, or a single <c>.safetensors</c> file.</summary>
    /// <exception cref="FileNotFoundException">Neither <c>model.safetensors</c> nor an index is there.</exception>
    /// <exception cref="InvalidDataException">The index or a shard is corrupt.</exception>
    public static Checkpoint Open(string path)
    {
        if (File.Exists(path) && path.EndsWith(".safetensors", StringComparison.Ordinal))
            return FromFiles(path, [path]);
        var index = Path.Combine(path, IndexFileName);
        if (File.Exists(index))
            return FromIndex(path, index);
        var single = Path.Combine(path, SingleFileName);
        if (File.Exists(single))
            return FromFiles(path, [single]);
        throw new FileNotFoundException(
            $"No checkpoint in {path}: expected {SingleFileName} or {IndexFileName}.", single);
    }

    private static Checkpoint FromIndex(string directory, string indexPath)
    {
        Dictionary<string, string> weightMap;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"Corrupt checkpoint index {indexPath}: field \"weight_map\" is missing or not an object.");
            weightMap = map.EnumerateObject().ToDictionary(
                p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.String
                    ? p.Value.GetString()!
                    : throw new InvalidDataException($"Corrupt checkpoint index {indexPath}: weight_map[\"{p.Name}\"] is not a file name."));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Corrupt checkpoint index {indexPath}: not valid JSON ({e.Message}).", e);
        }
        var shards = weightMap.Values.Distinct().Select(f => Path.Combine(directory, f)).ToList();
        var checkpoint = FromFiles(directory, shards);
        foreach (var (name, file) in weightMap)
        {
            if (!checkpoint._byTensor.TryGetValue(name, out var holder))
                throw new InvalidDataException($"Corrupt checkpoint {directory}: {IndexFileName} puts '{name}' in {file}, but that shard does not hold it.");
            if (Path.GetFileName(holder.Path) != Path.GetFileName(file))
                throw new InvalidDataException($"Corrupt checkpoint {directory}: '{name}' is in {holder.Path}, but the index says {file}.");
        }
        return checkpoint;
    }

    private static Checkpoint FromFiles(string location, IReadOnlyList<string> paths)
    {
        var files = new List<SafetensorsFile>();
        var byTensor = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var p in paths)
            {
                var file = SafetensorsFile.Open(p);
                files.Add(file);
                foreach (var name in file.Entries.Keys)
                    if (!byTensor.TryAdd(name, file))
                        throw new InvalidDataException($"Corrupt checkpoint {location}: '{name}' appears in both {byTensor[name].Path} and {p}.");
            }
        }
        catch
        {
            foreach (var f in files)
                f.Dispose();
            throw;
        }
        return new Checkpoint(location, files, byTensor);
    }

    /// <summary>
    /// Reads <paramref name="name"/> as float32 into <paramref name="destination"/>, checking that its shape is
    /// <paramref name="expectedShape"/>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The tensor is missing; the message names it and the checkpoint.</exception>
    /// <exception cref="InvalidDataException">Its shape differs; the message gives the expected and the found shape.</exception>
    public void Read(string name, ReadOnlySpan<int> expectedShape, Span<float> destination)
    {
        if (!_byTensor.TryGetValue(name, out var file))
            throw Missing(name);
        var entry = file.Entries[name];
        if (!entry.Shape.AsSpan().SequenceEqual(expectedShape))
            throw new InvalidDataException(
                $"Tensor '{name}' in {file.Path}: expected shape {ShapeFormat.Format(expectedShape)}, found {entry.ShapeText}.");
        file.ReadFloat32(name, destination);
    }

    private KeyNotFoundException Missing(string name)
    {
        var near = _byTensor.Keys.Where(k => k.EndsWith(name.Split('.').Last(), StringComparison.Ordinal)).Order().Take(3).ToList();
        var hint = near.Count > 0 ? $" Similar names: {string.Join(", ", near)}." : "";
        return new KeyNotFoundException($"Tensor '{name}' is missing from checkpoint {Location} ({_byTensor.Count} tensors).{hint}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var f in _files)
            f.Dispose();
    }
}
