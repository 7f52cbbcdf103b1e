using Whetstone.Models.Configuration;
using Whetstone.Models.Lora;
using Whetstone.Models.Tokenization;
using Whetstone.Training.Data;
using Whetstone.Training.Recipes;

namespace Whetstone.Training.Export;

/// <summary>
/// Where an exported checkpoint's config.json and tokenizer come from (a checkpoint holds weights only), and for a LoRA
/// checkpoint the base model and adapter settings. Full weights: RUN_DIR/final/config.json when the run finished (it is
/// what the trainer built, so it is authoritative), else the recipe's <c>model.path</c>, else the recipe's
/// <c>model.shape</c> sized to the tokenizer the run trained into <c>model.tokenizer</c>. LoRA: the base is
/// <c>model.path</c>, the settings final/adapter_config.json or the recipe's <c>lora</c> section.
/// </summary>
/// <param name="Config">The model config the weights must fit.</param>
/// <param name="ConfigSource">Where <paramref name="Config"/> came from, for messages.</param>
/// <param name="TokenizerDirectory">Holds tokenizer.json and tokenizer_config.json.</param>
/// <param name="BaseModelDirectory">LoRA: the base model directory; null for full weights.</param>
/// <param name="Lora">LoRA: the adapter settings; null for full weights.</param>
internal sealed record RunModelSource(ModelConfig Config, string ConfigSource, string TokenizerDirectory,
    string? BaseModelDirectory, LoraConfig? Lora)
{
    private const string FinalFolder = "final";

    /// <summary>The config and tokenizer for a checkpoint that holds every weight of the model.</summary>
    /// <exception cref="CheckpointExportException">No config or tokenizer was found; the message says where it looked.</exception>
    public static RunModelSource ForFullModel(string runDirectory)
    {
        var snapshot = RunRecipeSnapshot.TryRead(runDirectory);
        var final = Path.Combine(RunRecipeSnapshot.RootOf(runDirectory), FinalFolder);
        var finalConfig = Path.Combine(final, ModelConfigJson.FileName);
        if (File.Exists(finalConfig))
        {
            var tokenizer = TokenizerFiles.MissingFrom(final).Count == 0 ? final : RecipeTokenizer(snapshot, finalConfig);
            return new RunModelSource(LoadConfig(finalConfig), finalConfig, tokenizer, null, null);
        }
        if (snapshot?.Model is { Path: { } modelPath })
        {
            var dir = RequireDirectory(modelPath, snapshot.Path, "model.path");
            var config = Path.Combine(dir, ModelConfigJson.FileName);
            return new RunModelSource(LoadConfig(config), config, RequireTokenizer(dir, snapshot.Path, "model.path"), null, null);
        }
        if (snapshot?.Model is { Shape: { } shape } model)
        {
            var dir = RequireTokenizer(RequireDirectory(model.Tokenizer, snapshot.Path, "model.tokenizer"), snapshot.Path, "model.tokenizer");
            // The trainer sized the embedding to this tokenizer (RecipeModels.Build), so the same call rebuilds its config.
            int vocab = Tokenizer.Load(dir).VocabSize;
            ModelConfig config;
            try { config = RecipeModels.ConfigFor(model, vocab); }
            catch (Exception e) when (e is RecipeException or InvalidDataException)
            {
                throw new CheckpointExportException($"{snapshot.Path}: {e.Message}", e);
            }
            return new RunModelSource(config, $"model.shape '{shape}' in {snapshot.Path}, sized to the {vocab}-id tokenizer in {dir}", dir, null, null);
        }
        throw new CheckpointExportException(
            $"no model config for the checkpoints of {runDirectory}: looked for {finalConfig} (written when a run finishes) and for " +
            $"model.path or model.shape in {snapshot?.Path ?? Path.Combine(runDirectory, RunRecipeSnapshot.FileName)} " +
            (snapshot is null ? "(the file does not exist)." : "(it has no model section)."));
    }

    /// <summary>The base model, its config and tokenizer, and the adapter settings for a checkpoint that holds LoRA adapters only.</summary>
    /// <exception cref="CheckpointExportException">No adapter settings or base model was found; the message says where it looked.</exception>
    public static RunModelSource ForLora(string runDirectory)
    {
        var snapshot = RunRecipeSnapshot.TryRead(runDirectory);
        var final = Path.Combine(RunRecipeSnapshot.RootOf(runDirectory), FinalFolder);
        var adapterConfig = Path.Combine(final, PeftAdapterConfig.FileName);
        var lora = File.Exists(adapterConfig) ? PeftAdapterConfig.Read(final) : snapshot?.Lora?.ToConfig(snapshot.Model?.Path);
        var recipePath = snapshot?.Path ?? Path.Combine(runDirectory, RunRecipeSnapshot.FileName);
        if (lora is null)
            throw new CheckpointExportException(
                $"the checkpoints of {runDirectory} hold LoRA adapters but their settings were not found: looked for {adapterConfig} " +
                $"(written when a run finishes) and for a lora section in {recipePath}.");
        var basePath = snapshot?.Model?.Path ?? lora.BaseModelNameOrPath
            ?? throw new CheckpointExportException(
                $"the checkpoints of {runDirectory} hold LoRA adapters but no base model is named: looked for model.path in {recipePath} " +
                $"and base_model_name_or_path in {adapterConfig}.");
        var baseDir = RequireDirectory(basePath, recipePath, "model.path (the LoRA base)");
        var config = Path.Combine(baseDir, ModelConfigJson.FileName);
        var tokenizer = TokenizerFiles.MissingFrom(final).Count == 0 ? final : RequireTokenizer(baseDir, recipePath, "model.path");
        return new RunModelSource(LoadConfig(config), config, tokenizer, baseDir, lora);
    }

    private static string RecipeTokenizer(RunRecipeSnapshot? snapshot, string configPath)
    {
        var dir = snapshot?.Model?.Path ?? snapshot?.Model?.Tokenizer;
        if (snapshot is not null && dir is not null) return RequireTokenizer(RequireDirectory(dir, snapshot.Path, "model"), snapshot.Path, "model");
        throw new CheckpointExportException(
            $"no tokenizer beside {configPath}, and no model.path or model.tokenizer to take it from in {snapshot?.Path ?? "the run's config.json (missing)"}.");
    }

    private static ModelConfig LoadConfig(string path)
    {
        if (!File.Exists(path)) throw new CheckpointExportException($"no model config: {path} does not exist.");
        var config = ModelConfigJson.Load(path);
        config.Validate(path);
        return config;
    }

    private static string RequireDirectory(string? path, string recipePath, string field)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new CheckpointExportException($"{recipePath}: {field} is not set.");
        if (Directory.Exists(path)) return Path.GetFullPath(path);
        // whet train read it relative to the directory it ran in; say so, since the export may run elsewhere.
        throw new CheckpointExportException(
            $"{recipePath}: {field} {path} not found ({Path.GetFullPath(path)}); a relative path is read from the current directory, as whet train read it.");
    }

    private static string RequireTokenizer(string directory, string recipePath, string field)
    {
        var missing = TokenizerFiles.MissingFrom(directory);
        if (missing.Count == 0) return directory;
        throw new CheckpointExportException($"{recipePath}: {field} {directory} has no {string.Join(" or ", missing)}, so the export would have no tokenizer.");
    }
}
