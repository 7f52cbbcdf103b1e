using Whetstone.Models.Checkpoints;
using Whetstone.Models.Transformer;

namespace Whetstone.Models.Lora;

public sealed partial class LoraModel
{
    /// <summary>File name of the adapter weights in PEFT's format.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>
    /// Writes <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> (f32, PEFT key names, no adapter name)
    /// into <paramref name="directory"/>, each file atomically. PEFT's <c>PeftModel.from_pretrained</c> loads it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The adapters are merged (save before merging, as PEFT does).</exception>
    public void Save(string directory)
    {
        ThrowIfDisposed();
        if (IsMerged) throw new InvalidOperationException("Unmerge the adapters before saving them.");
        Directory.CreateDirectory(directory);
        var tensors = new List<NamedTensor>(Parameters.Count);
        foreach (var p in Parameters)
            tensors.Add(new NamedTensor(p.Name, [p.Value.Shape[0], p.Value.Shape[1]], p.Value.ToArray()));
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName), tensors);
        AtomicFile.WriteAllText(Path.Combine(directory, PeftAdapterConfig.FileName), PeftAdapterConfig.ToJson(Config));
    }

    /// <summary>
    /// Attaches the adapter saved in <paramref name="directory"/> (by <see cref="Save"/> or PEFT) to <paramref name="model"/>.
    /// </summary>
    /// <param name="model">The base model the adapter was trained on.</param>
    /// <param name="directory">Holds adapter_config.json and adapter_model.safetensors.</param>
    /// <param name="seed">Seeds the dropout masks if training continues.</param>
    /// <exception cref="InvalidDataException">A missing, misshapen or unexpected tensor, or an unsupported config field.</exception>
    public static LoraModel Load(TransformerModel model, string directory, ulong seed = 0)
    {
        var config = PeftAdapterConfig.Read(directory) with { Seed = seed };
        var lora = Attach(model, config);
        try
        {
            lora.LoadWeights(directory);
            return lora;
        }
        catch
        {
            lora.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Overwrites A and B from <paramref name="directory"/>'s adapter_model.safetensors. Every adapter's tensors
    /// must be present with this model's shapes, and the file must hold no other tensors.
    /// </summary>
    public void LoadWeights(string directory)
    {
        ThrowIfDisposed();
        if (IsMerged) throw new InvalidOperationException("Unmerge the adapters before loading new weights.");
        var path = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"No {WeightsFileName} in {directory}.", path);
        LoadWeightsFile(path);
    }

    /// <summary>
    /// Overwrites A and B from one safetensors file under PEFT names, with the checks of <see cref="LoadWeights"/>:
    /// a LoRA training checkpoint's <c>model.safetensors</c> holds the adapters under the same names.
    /// </summary>
    /// <exception cref="InvalidDataException">A missing, misshapen or unexpected tensor; the message names the file.</exception>
    public void LoadWeightsFile(string path)
    {
        ThrowIfDisposed();
        if (IsMerged) throw new InvalidOperationException("Unmerge the adapters before loading new weights.");
        using var file = SafetensorsFile.Open(path);
        foreach (var p in Parameters)
        {
            if (!file.Entries.TryGetValue(p.Name, out var entry))
                throw new InvalidDataException(
                    $"{path}: tensor '{p.Name}' is missing (r={Config.Rank}, targets {string.Join(",", Config.TargetModules)}).");
            int[] want = [p.Value.Shape[0], p.Value.Shape[1]];
            if (!entry.Shape.AsSpan().SequenceEqual(want))
                throw new InvalidDataException(
                    $"{path}: tensor '{p.Name}' has shape {entry.ShapeText}, expected {ShapeFormat.Format(want)}.");
        }
        var unexpected = file.Entries.Keys.Where(k => !Parameters.TryGet(k, out _)).Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException(
                $"{path}: {unexpected.Count} unexpected tensor(s), e.g. '{unexpected[0]}' (PEFT LoRA keys look like " +
                $"'{LoraParameterNames.A("model.layers.0.self_attn.q_proj")}').");
        foreach (var p in Parameters) file.ReadFloat32(p.Name, p.Value.AsSpan());
    }
}
