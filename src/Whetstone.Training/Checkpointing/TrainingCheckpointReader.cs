using System.Globalization;
using System.Text.Json;
using Whetstone.Models.Checkpoints;
using Whetstone.Tensors;
using static Whetstone.Training.Checkpointing.CheckpointLayout;

namespace Whetstone.Training.Checkpointing;

/// <summary>
/// Validates a training checkpoint folder completely — manifest, sizes and hashes, tensor names and shapes,
/// JSON fields — and only then copies it into the live <see cref="TrainingState"/>, so a corrupt checkpoint
/// never leaves the state half restored. Every error names the file at fault.
/// </summary>
internal static class TrainingCheckpointReader
{
    /// <summary>Whether the folder has a manifest (a checkpoint without one was interrupted while being written).</summary>
    public static bool IsComplete(string directory) => File.Exists(Path.Combine(directory, Manifest));

    public static CheckpointManifest ReadManifest(string directory)
    {
        var path = Path.Combine(directory, Manifest);
        if (!File.Exists(path))
            throw new CorruptCheckpointException(path, "the manifest is missing, so the checkpoint was never completed.");
        using var doc = ParseJson(path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new CorruptCheckpointException(path, "the manifest is not a JSON object.");
        if (Str(root, "format", path) != CheckpointManifest.Format)
            throw new CorruptCheckpointException(path, $"field \"format\" is not \"{CheckpointManifest.Format}\".");
        long version = Int(root, "version", path);
        if (version != CheckpointManifest.Version)
            throw new CorruptCheckpointException(path, $"version {version} is not supported (this build reads version {CheckpointManifest.Version}).");
        long step = Int(root, "step", path);
        var created = root.TryGetProperty("created_utc", out var c) && c.ValueKind == JsonValueKind.String && c.TryGetDateTimeOffset(out var t)
            ? t : throw new CorruptCheckpointException(path, "field \"created_utc\" is missing or not a date.");
        string? configHash = root.TryGetProperty("config_sha256", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        if (!root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            throw new CorruptCheckpointException(path, "field \"files\" is missing or not an array.");
        var list = new List<CheckpointFile>();
        foreach (var f in files.EnumerateArray())
        {
            var name = Str(f, "name", path);
            if (name.Contains('/') || name.Contains('\\') || name.StartsWith('.'))
                throw new CorruptCheckpointException(path, $"file name \"{name}\" points outside the checkpoint folder.");
            list.Add(new CheckpointFile(name, Int(f, "bytes", path), Str(f, "sha256", path)));
        }
        return new CheckpointManifest(step, created, configHash, list);
    }

    /// <summary>Checks that every file the manifest lists exists with the recorded size and SHA-256.</summary>
    public static void VerifyFiles(string directory, CheckpointManifest manifest)
    {
        VerifyListed(directory, manifest.Files);
        foreach (var required in new[] { OptimizerTensors, OptimizerJson, TrainerState })
            if (!manifest.Files.Any(f => f.Name == required))
                throw new CorruptCheckpointException(Path.Combine(directory, Manifest), $"it does not list {required}.");
        RequireWeights(directory, manifest);
    }

    /// <summary>
    /// Checks only the weights the manifest lists (<c>model.safetensors</c>, or the shard index and its shards):
    /// for readers that use the weights alone, which should not fail on a damaged optimizer file.
    /// </summary>
    public static void VerifyWeights(string directory, CheckpointManifest manifest)
    {
        RequireWeights(directory, manifest);
        VerifyListed(directory, manifest.Files.Where(f => IsWeightsFile(f.Name)));
    }

    private static void VerifyListed(string directory, IEnumerable<CheckpointFile> files)
    {
        foreach (var f in files)
        {
            var path = Path.Combine(directory, f.Name);
            if (!File.Exists(path)) throw new CorruptCheckpointException(path, "the file is listed in the manifest but missing.");
            var actual = TrainingCheckpointWriter.Describe(path);
            if (actual.Bytes != f.Bytes)
                throw new CorruptCheckpointException(path, $"it is {actual.Bytes} bytes long; the manifest recorded {f.Bytes}.");
            if (!string.Equals(actual.Sha256, f.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new CorruptCheckpointException(path, $"its SHA-256 is {actual.Sha256}; the manifest recorded {f.Sha256}.");
        }
    }

    private static void RequireWeights(string directory, CheckpointManifest manifest)
    {
        if (!manifest.Files.Any(f => f.Name is Checkpoint.SingleFileName or Checkpoint.IndexFileName))
            throw new CorruptCheckpointException(Path.Combine(directory, Manifest), $"it lists neither {Checkpoint.SingleFileName} nor {Checkpoint.IndexFileName}.");
    }

    /// <summary>model.safetensors, model.safetensors.index.json or a shard (model-00001-of-00003.safetensors).</summary>
    private static bool IsWeightsFile(string name) =>
        name == Checkpoint.IndexFileName
        || (name.StartsWith("model", StringComparison.Ordinal) && name.EndsWith(".safetensors", StringComparison.Ordinal));

    /// <summary>Validates <paramref name="directory"/> against <paramref name="state"/> and then restores it.</summary>
    public static ResumePoint Load(string directory, TrainingState state)
    {
        var manifest = ReadManifest(directory);
        VerifyFiles(directory, manifest);
        var warnings = new List<string>();

        using var weights = OpenWeights(directory);
        CheckTensors(WeightsFile(directory), state, name => weights.Contains(name) ? weights.Entry(name) : null,
            weights.Names, "");

        var optPath = Path.Combine(directory, OptimizerTensors);
        using var moments = OpenSafetensors(optPath);
        CheckTensors(optPath, state, name => moments.Entries.GetValueOrDefault(name), moments.Entries.Keys,
            FirstMomentSuffix, SecondMomentSuffix);

        var (stepCount, learningRate) = ReadOptimizerJson(Path.Combine(directory, OptimizerJson), state, warnings);
        var (step, data, rngs) = ReadTrainerState(Path.Combine(directory, TrainerState), state, warnings);
        if (step != manifest.Step)
            throw new CorruptCheckpointException(Path.Combine(directory, TrainerState), $"step {step} differs from the manifest's step {manifest.Step}.");

        string? configJson = null;
        if (manifest.ConfigSha256 is not null)
        {
            var configPath = Path.Combine(directory, TrainingConfig);
            if (!manifest.Files.Any(f => f.Name == TrainingConfig))
                throw new CorruptCheckpointException(Path.Combine(directory, Manifest), $"it records a config hash but does not list {TrainingConfig}.");
            var bytes = File.ReadAllBytes(configPath);
            if (TrainingCheckpointWriter.Sha256Hex(bytes) != manifest.ConfigSha256)
                throw new CorruptCheckpointException(configPath, "its SHA-256 differs from the manifest's config_sha256.");
            configJson = System.Text.Encoding.UTF8.GetString(bytes);
        }

        // Everything checked: now overwrite the live state.
        foreach (var p in state.Parameters)
            weights.Read(p.Name, TensorMemory.Dims(p.Value.Shape), p.Value.AsSpan());
        for (int i = 0; i < state.Parameters.Count; i++)
        {
            var name = state.Parameters[i].Name;
            moments.ReadFloat32(name + FirstMomentSuffix, state.Optimizer.FirstMoment(i).AsSpan());
            moments.ReadFloat32(name + SecondMomentSuffix, state.Optimizer.SecondMoment(i).AsSpan());
        }
        state.Optimizer.StepCount = stepCount;
        state.Optimizer.LearningRate = learningRate;
        foreach (var (name, rng) in state.Rngs) rng.SetState(rngs[name]);
        return new ResumePoint(step, data, directory, manifest.ConfigSha256, configJson, warnings);
    }

    /// <summary>The file to name in weight errors: the shard index of a sharded checkpoint, else <c>model.safetensors</c>.</summary>
    private static string WeightsFile(string directory)
    {
        var index = Path.Combine(directory, Checkpoint.IndexFileName);
        return File.Exists(index) ? index : Path.Combine(directory, Checkpoint.SingleFileName);
    }

    private static Checkpoint OpenWeights(string directory)
    {
        try
        {
            return Checkpoint.Open(directory);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            throw new CorruptCheckpointException((e as FileNotFoundException)?.FileName ?? Path.Combine(directory, Checkpoint.SingleFileName), e.Message, e);
        }
    }

    private static SafetensorsFile OpenSafetensors(string path)
    {
        try
        {
            return SafetensorsFile.Open(path);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            throw new CorruptCheckpointException(path, e.Message, e);
        }
    }

    /// <summary>Every parameter (with each suffix) must be stored as F32 with its exact shape, and nothing else may be stored.</summary>
    private static void CheckTensors(string file, TrainingState state, Func<string, SafetensorsEntry?> entry,
        IEnumerable<string> stored, params string[] suffixes)
    {
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in state.Parameters)
        {
            var dims = TensorMemory.Dims(p.Value.Shape);
            foreach (var suffix in suffixes)
            {
                var name = p.Name + suffix;
                expected.Add(name);
                var e = entry(name) ?? throw new CorruptCheckpointException(file,
                    $"tensor '{name}' is missing; the run trains {state.Parameters.Count} parameters and this checkpoint does not match them.");
                if (!e.Shape.AsSpan().SequenceEqual(dims))
                    throw new CorruptCheckpointException(file, $"tensor '{name}' has shape {e.ShapeText}; the run's parameter has shape {p.Value.Shape}.");
                if (e.DType != "F32")
                    throw new CorruptCheckpointException(file, $"tensor '{name}' is stored as {e.DType}; training checkpoints hold F32 so that resume is exact.");
            }
        }
        var extra = stored.Where(n => !expected.Contains(n)).Order(StringComparer.Ordinal).Take(3).ToList();
        if (extra.Count > 0)
            throw new CorruptCheckpointException(file, $"it holds tensors the run does not train ({string.Join(", ", extra)}); it belongs to a different model or adapter set.");
    }

    private static (long StepCount, float LearningRate) ReadOptimizerJson(string path, TrainingState state, List<string> warnings)
    {
        using var doc = ParseJson(path);
        var root = doc.RootElement;
        if (Str(root, "type", path) != "adamw") throw new CorruptCheckpointException(path, "field \"type\" is not \"adamw\".");
        long stepCount = Int(root, "step_count", path);
        if (stepCount < 0) throw new CorruptCheckpointException(path, $"step_count {stepCount} is negative.");
        float lr = (float)Num(root, "learning_rate", path);
        var o = state.Optimizer.Options;
        foreach (var (field, saved, live) in new[]
                 {
                     ("beta1", Num(root, "beta1", path), o.Beta1), ("beta2", Num(root, "beta2", path), o.Beta2),
                     ("epsilon", Num(root, "epsilon", path), o.Epsilon), ("weight_decay", Num(root, "weight_decay", path), o.WeightDecay),
                 })
            if ((float)saved != live)
                warnings.Add($"{path}: AdamW {field} was {saved.ToString("R", CultureInfo.InvariantCulture)} and is now {live.ToString("R", CultureInfo.InvariantCulture)}; the resumed run will not match an uninterrupted one.");
        return (stepCount, lr);
    }

    private static (long Step, DataPosition Data, Dictionary<string, RngState> Rngs) ReadTrainerState(
        string path, TrainingState state, List<string> warnings)
    {
        using var doc = ParseJson(path);
        var root = doc.RootElement;
        long step = Int(root, "step", path);
        if (!root.TryGetProperty("data_position", out var dp) || dp.ValueKind != JsonValueKind.Object)
            throw new CorruptCheckpointException(path, "field \"data_position\" is missing or not an object.");
        long epoch = Int(dp, "epoch", path);
        long index = Int(dp, "index", path);
        if (epoch is < 0 or > int.MaxValue || index < 0)
            throw new CorruptCheckpointException(path, $"data_position epoch {epoch} / index {index} is out of range.");
        string? extra = dp.TryGetProperty("state", out var s) ? s.GetRawText() : null;

        if (!root.TryGetProperty("rngs", out var rngs) || rngs.ValueKind != JsonValueKind.Object)
            throw new CorruptCheckpointException(path, "field \"rngs\" is missing or not an object.");
        var states = new Dictionary<string, RngState>(StringComparer.Ordinal);
        foreach (var r in rngs.EnumerateObject())
        {
            if (!state.Rngs.ContainsKey(r.Name))
            {
                warnings.Add($"{path}: the checkpoint saved RNG '{r.Name}', which this run does not register; it is ignored.");
                continue;
            }
            states[r.Name] = RngStateJson.Read(r.Value, path, $"rngs.{r.Name}");
        }
        foreach (var name in state.Rngs.Keys)
            if (!states.ContainsKey(name))
                throw new CorruptCheckpointException(path, $"it has no state for RNG '{name}', which the run registers; its stream cannot be resumed.");
        return (step, new DataPosition((int)epoch, index, extra), states);
    }

    private static JsonDocument ParseJson(string path)
    {
        if (!File.Exists(path)) throw new CorruptCheckpointException(path, "the file is missing.");
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new CorruptCheckpointException(path, $"not valid JSON ({e.Message}).", e);
        }
    }

    private static string Str(JsonElement e, string field, string path) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()! : throw new CorruptCheckpointException(path, $"field \"{field}\" is missing or not a string.");

    private static long Int(JsonElement e, string field, string path) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long x)
            ? x : throw new CorruptCheckpointException(path, $"field \"{field}\" is missing or not an integer.");

    private static double Num(JsonElement e, string field, string path) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble() : throw new CorruptCheckpointException(path, $"field \"{field}\" is missing or not a number.");
}
