using AtomicFile = Whetstone.Models.Checkpoints.AtomicFile;
using System.Globalization;
using System.Text.Json;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
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
/// output_dir/final (full weights + tokenizer files). A <c>lora</c> section is parsed but refused at run time: the
/// trainers do not train adapters yet.
/// </summary>
public static class RecipeRunner
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Runs the recipe, writing progress to <paramref name="log"/>; returns the saved model's directory.</summary>
    public static async Task<string> RunAsync(Recipe recipe, TextWriter log, CancellationToken cancellationToken = default)
    {
        // The trainers train the model parameters that have RequiresGrad; LoRA's A and B live outside the model's
        // parameter set, so attaching adapters would leave nothing to train. Refuse before any work is done.
        if (recipe.Lora is not null)
            throw new RecipeException($"{recipe.Source}: lora: the sft/rft/dpo/grpo trainers do not train LoRA adapters yet " +
                "(they update the model's own parameters); remove the lora section for full fine-tuning");
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

        switch (recipe.Method)
        {
            case TrainingMethod.Sft:
            {
                var eval = ReadAll(recipe.Data.Eval);
                var r = new SftTrainer(model, chat, recipe.Sft!).Train(train, eval.Count > 0 ? eval : null);
                log.WriteLine($"sft: {r.Steps} steps, final loss {Last(r.StepLosses)}, {r.TokensPerSecond:F0} tokens/s, {r.ElapsedSeconds:F1} s" +
                    (r.EvalLosses.Count > 0 ? $", eval loss {r.EvalLosses[^1].Loss:F4}" : ""));
                break;
            }
            case TrainingMethod.Dpo:
            {
                var pairs = PreferencePairs.Build(train, chosen, recipe.Data.MaxPairsPerTask);
                if (pairs.Count == 0)
                    throw new RecipeException($"{recipe.Source}: data: no preference pairs (data.train needs failed episodes whose tasks have a success in data.train or data.chosen)");
                using var trainer = new DpoTrainer(model, chat, recipe.Dpo!);
                var r = trainer.Train(pairs);
                log.WriteLine($"dpo: {pairs.Count} pairs, {r.Steps} steps, final loss {Last(r.StepLosses)}, {r.ElapsedSeconds:F1} s");
                break;
            }
            case TrainingMethod.Rft:
            {
                var tasks = env!.Tasks(DataSplit.Train, recipe.Data.TrainTasks);
                var r = await new RftTrainer(model, chat, env, recipe.Rft!).RunAsync(tasks, cancellationToken).ConfigureAwait(false);
                var last = r.Rounds.Count > 0 ? r.Rounds[^1] : null;
                log.WriteLine($"rft: {r.Rounds.Count} rounds, {r.Kept.Count} trajectories kept" +
                    (last?.Eval is { } e ? $", final held-out success {e.SuccessRate:P1} ({e.Successes}/{e.Episodes})" : ""));
                if (r.Baseline is { } b) log.WriteLine($"rft baseline held-out success {b.SuccessRate:P1} ({b.Successes}/{b.Episodes})");
                break;
            }
            case TrainingMethod.Grpo:
            {
                using var trainer = new GrpoTrainer(model, chat, env!, recipe.Grpo!);
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
        model.Save(saved);
        CopyTokenizerFiles(recipe.Model.Path ?? recipe.Model.Tokenizer!, saved);
        log.WriteLine($"saved {saved}");
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

    private static void CopyTokenizerFiles(string from, string to)
    {
        foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json" })
        {
            string src = Path.Combine(from, name), dst = Path.Combine(to, name);
            if (File.Exists(src) && !File.Exists(dst)) File.Copy(src, dst);
        }
    }
}
