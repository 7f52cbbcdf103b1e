using System.Text.Json.Nodes;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Rollouts;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Recipes;

namespace Whetstone.Training.Tests.Recipes;

/// <summary>A tiny <c>train sft</c> through <see cref="RecipeRunner"/>, as <c>whet train sft</c> runs it.</summary>
public class RecipeRunnerTests
{
    [Fact]
    public async Task Tiny_sft_recipe_trains_a_tokenizer_and_model_and_saves_config_metrics_and_weights()
    {
        string root = Path.Combine(Path.GetTempPath(), $"whet-recipe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            // A small generated dataset: 24 calc expert episodes.
            var factory = EnvironmentCatalog.Create("calc");
            var episodes = await new RolloutRunner(factory, PolicySource.Expert(factory), new RolloutOptions { Seed = 0 })
                .RunAllAsync(factory.Tasks(DataSplit.Train, 24));
            string data = Path.Combine(root, "calc.jsonl");
            TrajectoryJsonl.Write(data, episodes);
            string recipePath = Path.Combine(root, "sft.yaml");
            await File.WriteAllTextAsync(recipePath, $"""
                # tiny
                output_dir: {root}/run
                model:
                  shape: tiny
                  tokenizer: {root}/tok
                  vocab_size: 320
                data:
                  train: [{data}]
                sft:
                  max_steps: 50
                  learning_rate: 3.0e-3
                  max_sequences_per_micro_batch: 4
                """);

            var recipe = Recipe.Load(TrainingMethod.Sft, recipePath, ["sft.max_steps=4", "sft.warmup_steps=1"]);
            var log = new StringWriter();
            string saved = await RecipeRunner.RunAsync(recipe, log);

            Assert.Contains("resolved config", log.ToString());
            var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "run", "config.json")))!;
            Assert.Equal("sft", config["method"]!.GetValue<string>());
            Assert.Equal(4, config["sft"]!["max_steps"]!.GetValue<int>());
            Assert.Equal("cosine", config["sft"]!["schedule"]!.GetValue<string>());
            Assert.Equal(320, config["model"]!["vocab_size"]!.GetValue<int>());

            var metricLines = File.ReadLines(Path.Combine(root, "run", "metrics.jsonl")).Where(l => l.Contains("\"loss\"")).ToList();
            Assert.Equal(4, metricLines.Count);
            Assert.All(metricLines, l => Assert.True(double.IsFinite(JsonNode.Parse(l)!["loss"]!.GetValue<double>())));

            // The saved directory is a complete Hugging Face-style model: it loads with its tokenizer and template.
            Assert.Equal(Path.Combine(root, "run", "final"), saved);
            using var reloaded = TransformerModel.Load(saved);
            var chat = ChatFormatter.FromDirectory(saved);
            Assert.Equal(chat.Tokenizer.VocabSize, reloaded.Config.VocabSize);
            Assert.True(File.Exists(Path.Combine(root, "tok", "tokenizer.json")));
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
