using AtomicFile = Whetstone.Models.Checkpoints.AtomicFile;
using System.Globalization;
using System.Text.Json;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Dpo;
using Whetstone.Training.Grpo;
using Whetstone.Training.RejectionSampling;
using Whetstone.Training.Sft;

namespace Whetstone.Training.Recipes;

/// <summary>
/// Runs a resolved <see cref="Recipe"/> end to end, the way <c>whet train</c> does: prints and saves the resolved
/// config (output_dir/config.json), reads the data or opens the environment, trains a tokenizer when a from-scratch
/// model has none, builds the model (plus LoRA adapters), runs the trainer, and saves the result to
/// output_dir/final with the tokenizer files: the full weights, or with a <c>lora</c> section the PEFT adapter
/// (adapter_config.json + adapter_model.safetensors; load it with <c>whet serve --model BASE --adapter final</c> or
/// PEFT's <c>PeftModel.from_pretrained</c>) and, with <c>lora.merge: true</c>, the merged full model in final/merged.
/// </summary>
public static class RecipeRunner
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs the recipe, writing progress to <paramref name="log"/>; returns the saved model's directory.</summary>
    public static async Task<string> RunAsync(Recipe recipe, TextWriter log, CancellationToken cancellationToken = default)
    {
        if (recipe.Model.Path is { } modelPath && !Directory.Exists(modelPath))
            throw new RecipeException($"{recipe.Source}: model.path: directory not found: {modelPath}");
        var json = recipe.ToJson().ToJsonString(Indented);
        log.WriteLine($"resolved config ({recipe.Source}):");
        log.WriteLine(json);
        Directory.CreateDirectory(recipe.OutputDir);
        AtomicFile.WriteAllText(Path.Combine(recipe.OutputDir, "config.json"), json);

        IEnvironmentFactory? env = recipe.Data.Env is { } spec ? OpenEnvironment(spec) : null;
        var train = ReadAll(recipe.Data.Train);
        var chosen = ReadAll(recipe.Data.Chosen);
        if (RecipeModels.NeedsTokenizer(recipe.Model))
        {
            var corpus = train.Concat(chosen).ToList();
            if (corpus.Count == 0 && env is not null)
            {
                log.WriteLine($"collecting {recipe.Data.TokenizerEpisodes} expert episodes of {recipe.Data.Env} for the tokenizer");
                var runner = new RolloutRunner(env, PolicySource.Expert(env), new RolloutOptions { MaxParallelism = 2, Seed = 0 });
                corpus = [.. await runner.RunAllAsync(env.Tasks(DataSplit.Train, recipe.Data.TokenizerEpisodes), cancellationToken: cancellationToken).ConfigureAwait(false)];
            }
            log.WriteLine($"training a {recipe.Model.VocabSize}-id BPE tokenizer on {corpus.Count} conversations → {recipe.Model.Tokenizer}");
            RecipeModels.TrainTokenizer(recipe.Model, corpus);
        }

        var (model, chat) = RecipeModels.Build(recipe.Model);
        using var _ = model;
        log.WriteLine($"model: {model.Config.ParameterCount().ToString("N0", CultureInfo.InvariantCulture)} parameters");
        using var lora = recipe.Lora is { } l ? LoraModel.Attach(model, l.ToConfig(recipe.Model.Path)) : null;
        if (lora is not null)
            log.WriteLine($"lora: r={lora.Config.Rank}, alpha={lora.Config.Alpha.ToString(CultureInfo.InvariantCulture)} on " +
                $"{string.Join(",", lora.Config.TargetModules)}: {lora.Parameters.ElementCount.ToString("N0", CultureInfo.InvariantCulture)} " +
                $"trainable parameters ({100.0 * lora.Parameters.ElementCount / model.Parameters.ElementCount:F2}% of the frozen base)");

        switch (recipe.Method)
        {
            case TrainingMethod.Sft:
            {
                var eval = ReadAll(recipe.Data.Eval);
                var trainer = lora is null ? new SftTrainer(model, chat, recipe.Sft!) : new SftTrainer(lora, chat, recipe.Sft!);
                var r = trainer.Train(train, eval.Count > 0 ? eval : null);
                log.WriteLine($"sft: {r.Steps} steps, final loss {Last(r.StepLosses)}, {r.TokensPerSecond:F0} tokens/s, {r.ElapsedSeconds:F1} s" +
                    (r.EvalLosses.Count > 0 ? $", eval loss {r.EvalLosses[^1].Loss:F4}" : ""));
                break;
            }
            case TrainingMethod.Dpo:
            {
                var pairs = PreferencePairs.Build(train, chosen, recipe.Data.MaxPairsPerTask);
                if (pairs.Count == 0)
                    throw new RecipeException($"{recipe.Source}: data: no preference pairs (data.train needs failed episodes whose tasks have a success in data.train or data.chosen)");
                using var trainer = lora is null ? new DpoTrainer(model, chat, recipe.Dpo!) : new DpoTrainer(lora, chat, recipe.Dpo!);
                var r = trainer.Train(pairs);
                log.WriteLine($"dpo: {pairs.Count} pairs, {r.Steps} steps, final loss {Last(r.StepLosses)}, {r.ElapsedSeconds:F1} s");
                break;
            }
            case TrainingMethod.Rft:
            {
                var tasks = env!.Tasks(DataSplit.Train, recipe.Data.TrainTasks);
                var trainer = lora is null ? new RftTrainer(model, chat, env, recipe.Rft!) : new RftTrainer(lora, chat, env, recipe.Rft!);
                var r = await trainer.RunAsync(tasks, cancellationToken).ConfigureAwait(false);
                var last = r.Rounds.Count > 0 ? r.Rounds[^1] : null;
                log.WriteLine($"rft: {r.Rounds.Count} rounds, {r.Kept.Count} trajectories kept" +
                    (last?.Eval is { } e ? $", final held-out success {e.SuccessRate:P1} ({e.Successes}/{e.Episodes})" : ""));
                if (r.Baseline is { } b) log.WriteLine($"rft baseline held-out success {b.SuccessRate:P1} ({b.Successes}/{b.Episodes})");
                break;
            }
            case TrainingMethod.Grpo:
            {
                using var trainer = lora is null ? new GrpoTrainer(model, chat, env!, recipe.Grpo!) : new GrpoTrainer(lora, chat, env!, recipe.Grpo!);
                var r = await trainer.TrainAsync(cancellationToken).ConfigureAwait(false);
                log.WriteLine($"grpo: {r.Steps} steps in {r.ElapsedSeconds:F1} s (generation {r.GenerationSeconds:F1} s, training {r.TrainingSeconds:F1} s)" +
                    (r.StepResults.Count > 0 ? $", last reward mean {r.StepResults[^1].Result.RewardMean:F3}" : ""));
                foreach (var (step, e) in r.Evaluations)
                    log.WriteLine($"grpo eval at step {step}: held-out success {e.SuccessRate:P1} ({e.Successes}/{e.Episodes})");
                break;
            }
        }

        // RftTrainer writes its own config.json (RftConfig only); put back the full recipe, which contains it.
        if (recipe.Method == TrainingMethod.Rft) AtomicFile.WriteAllText(Path.Combine(recipe.OutputDir, "config.json"), json);

        string saved = Path.Combine(recipe.OutputDir, "final");
        string tokenizerDir = recipe.Model.Path ?? recipe.Model.Tokenizer!;
        if (lora is null)
        {
            model.Save(saved);
            TokenizerFiles.Copy(tokenizerDir, saved);
            log.WriteLine($"saved {saved}");
            return saved;
        }
        lora.Save(saved);
        TokenizerFiles.Copy(tokenizerDir, saved);
        log.WriteLine($"saved the LoRA adapter to {saved} (base: {recipe.Model.Path})");
        if (recipe.Lora!.Merge)
        {
            string merged = Path.Combine(saved, "merged");
            lora.Merge();   // W += scaling·B·A in place: the run is over, the base is not needed any more
            model.Save(merged);
            TokenizerFiles.Copy(tokenizerDir, merged);
            log.WriteLine($"saved the merged model to {merged}");
        }
        return saved;
    }

    private static IEnvironmentFactory OpenEnvironment(string spec)
    {
        try { return EnvironmentCatalog.Parse(spec); }
        catch (ArgumentException e) { throw new RecipeException($"data.env: {e.Message}"); }
    }

    private static List<Trajectory> ReadAll(IReadOnlyList<string> paths)
    {
        var all = new List<Trajectory>();
        foreach (var p in paths)
        {
            if (!File.Exists(p)) throw new RecipeException($"data: trajectory file not found: {p}");
            all.AddRange(TrajectoryJsonl.Read(p));
        }
        return all;
    }

    private static string Last(IReadOnlyList<double> xs) => xs.Count == 0 ? "n/a" : xs[^1].ToString("F4", CultureInfo.InvariantCulture);
}
