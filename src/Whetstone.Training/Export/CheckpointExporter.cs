using Whetstone.Models.Checkpoints;
using Whetstone.Models.Configuration;
using Whetstone.Models.Lora;
using Whetstone.Models.Templates;
using Whetstone.Models.Transformer;
using Whetstone.Training.Checkpointing;
using Whetstone.Training.Data;

namespace Whetstone.Training.Export;

/// <summary>
/// Turns a training checkpoint (RUN_DIR/checkpoints/step-N) into a Hugging Face model directory that
/// <c>whet eval --policy local:DIR</c>, <c>whet serve --model DIR</c> and a recipe's <c>model.path</c> load: config.json,
/// model.safetensors (f32) and the tokenizer files. This is what <c>whet export checkpoint</c> runs.
/// </summary>
/// <remarks>
/// <para>The checkpoint's weights are checked against its manifest's SHA-256 first (the optimizer files are not read),
/// then against the config: every tensor the config implies must be there with its shape, and nothing else.</para>
/// <para>A LoRA run checkpoints only the adapters (PEFT names). They are merged into the base model's weights
/// (<see cref="LoraModel.Merge"/>, PEFT's <c>merge_and_unload</c>), so the output is a full model that needs no
/// <c>--adapter</c>; the run's final/ keeps the PEFT adapter form.</para>
/// </remarks>
public static class CheckpointExporter
{
    /// <summary>Exports the checkpoint that <paramref name="options"/> names.</summary>
    /// <exception cref="CheckpointExportException">The step, config or tokenizer is missing, the weights do not fit the
    /// config, or the output is taken; the message names the path.</exception>
    /// <exception cref="CorruptCheckpointException">A weights file fails the manifest; the message names the file.</exception>
    public static CheckpointExportResult Export(CheckpointExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.RunDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputDirectory);
        var run = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RunDirectory));
        var output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.OutputDirectory));
        ExportDirectory.CheckTarget(output, run, options.Force);

        var (step, folder) = RunCheckpointFolder.Resolve(run, options.Step);
        var manifest = TrainingCheckpoints.VerifyWeights(folder);
        if (manifest.Step != step)
            throw new CorruptCheckpointException(Path.Combine(folder, "manifest.json"), $"it records step {manifest.Step}, but the folder is that of step {step}.");
        IReadOnlyList<string> tensorNames;
        using (var weights = Checkpoint.Open(folder))
            tensorNames = weights.Names.ToList();
        var source = HoldsLoraAdapters(tensorNames) ? RunModelSource.ForLora(run) : RunModelSource.ForFullModel(run);

        var staging = ExportDirectory.CreateStaging(output);
        try
        {
            long parameters = source.Lora is null ? WriteFullModel(folder, tensorNames, source, staging) : WriteMergedModel(folder, source, staging);
            TokenizerFiles.Copy(source.TokenizerDirectory, staging);
            CheckTokenizer(staging, source);
            var files = Directory.EnumerateFiles(staging).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();
            ExportDirectory.Publish(staging, output, options.Force);
            return new CheckpointExportResult(output, step, folder, source.ConfigSource, source.TokenizerDirectory, files, parameters,
                source.Lora, source.BaseModelDirectory);
        }
        catch
        {
            ExportDirectory.Discard(staging);
            throw;
        }
    }

    /// <summary>A LoRA trainer checkpoints its adapters under PEFT's names, never the frozen base.</summary>
    private static bool HoldsLoraAdapters(IEnumerable<string> tensorNames) =>
        tensorNames.Any(n => n.StartsWith(LoraParameterNames.Prefix, StringComparison.Ordinal));

    private static long WriteFullModel(string folder, IReadOnlyList<string> tensorNames, RunModelSource source, string staging)
    {
        TransformerModel model;
        try
        {
            model = TransformerModel.FromWeights(source.Config, folder);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidDataException)
        {
            throw new CheckpointExportException($"the checkpoint {folder} does not fit the model config {source.ConfigSource} ({Describe(source.Config)}): {e.Message}", e);
        }
        using (model)
        {
            // The loader ignores extra tensors (an HF lm_head beside tied embeddings); here one means the config is not this run's.
            var extra = tensorNames.Where(n => !model.Parameters.TryGet(n, out _)).Take(3).ToList();
            if (extra.Count > 0)
                throw new CheckpointExportException(
                    $"the checkpoint {folder} holds tensors the model config {source.ConfigSource} ({Describe(source.Config)}) has no place for: " +
                    $"{string.Join(", ", extra)}.");
            model.Save(staging);
            return model.Config.ParameterCount();
        }
    }

    private static long WriteMergedModel(string folder, RunModelSource source, string staging)
    {
        using var model = TransformerModel.Load(source.BaseModelDirectory!);
        using var adapters = LoraModel.Attach(model, source.Lora!);
        var weights = Path.Combine(folder, Checkpoint.SingleFileName);
        try
        {
            adapters.LoadWeightsFile(weights);
        }
        catch (InvalidDataException e)
        {
            var lora = source.Lora!;
            throw new CheckpointExportException(
                $"the LoRA checkpoint {weights} does not fit the adapter settings (r={lora.Rank}, targets {string.Join(",", lora.TargetModules)}) " +
                $"on the base {source.BaseModelDirectory}: {e.Message}", e);
        }
        adapters.Merge();
        model.Save(staging);
        return model.Config.ParameterCount();
    }

    /// <summary>The directory must load as <c>whet eval</c> loads it, and no token id may fall outside the embedding.</summary>
    private static void CheckTokenizer(string staging, RunModelSource source)
    {
        ChatFormatter chat;
        try
        {
            chat = ChatFormatter.FromDirectory(staging);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or TemplateException)
        {
            throw new CheckpointExportException($"the tokenizer from {source.TokenizerDirectory} does not load: {e.Message}", e);
        }
        if (chat.Tokenizer.VocabSize > source.Config.VocabSize)
            throw new CheckpointExportException(
                $"the tokenizer in {source.TokenizerDirectory} has {chat.Tokenizer.VocabSize} ids but the model config {source.ConfigSource} " +
                $"has vocab_size {source.Config.VocabSize}; they do not belong together.");
    }

    private static string Describe(ModelConfig c) =>
        $"{c.Architecture}, vocab_size {c.VocabSize}, hidden_size {c.HiddenSize}, {c.NumLayers} layers" +
        (c.TieWordEmbeddings ? ", tied embeddings" : "");
}
