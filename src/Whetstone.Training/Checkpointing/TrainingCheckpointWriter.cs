using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Whetstone.Models.Checkpoints;
using Whetstone.Tensors.Autograd;
using static Whetstone.Training.Checkpointing.CheckpointLayout;

namespace Whetstone.Training.Checkpointing;

/// <summary>
/// Writes one training checkpoint into a folder: weights, optimizer tensors and hyper-parameters, trainer state
/// (step, data position, RNG states), the config snapshot, and — last — the manifest that hashes them all.
/// </summary>
internal static class TrainingCheckpointWriter
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Writes the checkpoint of <paramref name="step"/> into <paramref name="directory"/> (created if needed).</summary>
    /// <exception cref="TrainingDivergedException">A weight or optimizer moment is NaN or infinite; nothing is written.</exception>
    public static CheckpointManifest Write(string directory, long step, TrainingState state, DataPosition data, string? configJson)
    {
        // Refuse before touching the disk: a checkpoint with NaN weights would poison every resume after it.
        NonFiniteGuard.CheckParameters(step, state.Parameters);
        var opt = state.Optimizer;
        for (int i = 0; i < state.Parameters.Count; i++)
        {
            string name = state.Parameters[i].Name;
            if (NonFiniteGuard.FirstNonFinite(opt.FirstMoment(i).AsSpan()) is int m and >= 0)
                throw new TrainingDivergedException(step, $"AdamW first moment of '{name}' element {m}", opt.FirstMoment(i).AsSpan()[m]);
            if (NonFiniteGuard.FirstNonFinite(opt.SecondMoment(i).AsSpan()) is int v and >= 0)
                throw new TrainingDivergedException(step, $"AdamW second moment of '{name}' element {v}", opt.SecondMoment(i).AsSpan()[v]);
        }

        Directory.CreateDirectory(directory);
        CheckpointWriter.Write(directory, Weights(state.Parameters));
        WriteOptimizerTensors(Path.Combine(directory, OptimizerTensors), state);
        AtomicFile.WriteAllText(Path.Combine(directory, OptimizerJson), OptimizerJsonText(state));
        AtomicFile.WriteAllText(Path.Combine(directory, TrainerState), TrainerStateText(step, state, data));
        string? configHash = null;
        if (configJson is not null)
        {
            AtomicFile.WriteAllText(Path.Combine(directory, TrainingConfig), configJson);
            configHash = Sha256Hex(Encoding.UTF8.GetBytes(configJson));
        }

        var files = Directory.EnumerateFiles(directory)
            .Select(Path.GetFileName)
            .Where(n => n is not null && n != Manifest && !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(n => Describe(Path.Combine(directory, n!)))
            .ToList();
        var manifest = new CheckpointManifest(step, DateTimeOffset.UtcNow, configHash, files);
        AtomicFile.Write(Path.Combine(directory, Manifest), s => WriteManifest(s, manifest));
        return manifest;
    }

    private static List<NamedTensor> Weights(ParameterSet parameters) =>
        parameters.Select(p => new NamedTensor(p.Name, TensorMemory.Dims(p.Value.Shape), new TensorMemory(p.Value).Memory)).ToList();

    private static void WriteOptimizerTensors(string path, TrainingState state)
    {
        var tensors = new List<NamedTensor>(2 * state.Parameters.Count);
        for (int i = 0; i < state.Parameters.Count; i++)
        {
            var p = state.Parameters[i];
            var dims = TensorMemory.Dims(p.Value.Shape);
            tensors.Add(new NamedTensor(p.Name + FirstMomentSuffix, dims, new TensorMemory(state.Optimizer.FirstMoment(i)).Memory));
            tensors.Add(new NamedTensor(p.Name + SecondMomentSuffix, dims, new TensorMemory(state.Optimizer.SecondMoment(i)).Memory));
        }
        SafetensorsWriter.Write(path, tensors, TensorDType.F32,
            new Dictionary<string, string> { ["format"] = "pt", ["optimizer"] = "adamw" });
    }

    private static string OptimizerJsonText(TrainingState state)
    {
        var opt = state.Optimizer;
        return JsonText(json =>
        {
            json.WriteStartObject();
            json.WriteString("type", "adamw");
            json.WriteNumber("step_count", opt.StepCount);
            // float → double is exact and the shortest round-trip text of a double parses back to the same bits.
            json.WriteNumber("learning_rate", (double)opt.LearningRate);
            json.WriteNumber("beta1", (double)opt.Options.Beta1);
            json.WriteNumber("beta2", (double)opt.Options.Beta2);
            json.WriteNumber("epsilon", (double)opt.Options.Epsilon);
            json.WriteNumber("weight_decay", (double)opt.Options.WeightDecay);
            json.WriteStartArray("parameters");
            foreach (var p in state.Parameters)
            {
                json.WriteStartObject();
                json.WriteString("name", p.Name);
                json.WriteStartArray("shape");
                foreach (int d in TensorMemory.Dims(p.Value.Shape)) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteBoolean("weight_decay", p.ApplyWeightDecay);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static string TrainerStateText(long step, TrainingState state, DataPosition data) => JsonText(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("step", step);
        json.WriteStartObject("data_position");
        json.WriteNumber("epoch", data.Epoch);
        json.WriteNumber("index", data.Index);
        if (data.StateJson is not null)
        {
            json.WritePropertyName("state");
            json.WriteRawValue(data.StateJson);
        }
        json.WriteEndObject();
        json.WriteStartObject("rngs");
        foreach (var (name, rng) in state.Rngs)
        {
            json.WritePropertyName(name);
            RngStateJson.Write(json, rng.GetState());
        }
        json.WriteEndObject();
        json.WriteEndObject();
    });

    private static void WriteManifest(Stream stream, CheckpointManifest m)
    {
        using var json = new Utf8JsonWriter(stream, Indented);
        json.WriteStartObject();
        json.WriteString("format", CheckpointManifest.Format);
        json.WriteNumber("version", CheckpointManifest.Version);
        json.WriteNumber("step", m.Step);
        json.WriteString("created_utc", m.CreatedUtc);
        if (m.ConfigSha256 is null) json.WriteNull("config_sha256");
        else json.WriteString("config_sha256", m.ConfigSha256);
        json.WriteStartArray("files");
        foreach (var f in m.Files)
        {
            json.WriteStartObject();
            json.WriteString("name", f.Name);
            json.WriteNumber("bytes", f.Bytes);
            json.WriteString("sha256", f.Sha256);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string JsonText(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented)) write(json);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static CheckpointFile Describe(string path)
    {
        using var stream = File.OpenRead(path);
        return new CheckpointFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    internal static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
