using System.Text.Json.Nodes;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Rollouts;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Autograd;
using Whetstone.Training.Data;
using Whetstone.Training.Recipes;

namespace Whetstone.Training.Tests.Recipes;

/// <summary>A recipe with a <c>lora:</c> section through <see cref="RecipeRunner"/>: a PEFT adapter (and merged model) in final/.</summary>
public class RecipeLoraTests
{
    [Fact]
    public void Lora_on_a_from_scratch_shape_or_with_an_unknown_target_is_refused_with_the_recipe_named()
    {
        var e = Assert.Throws<RecipeException>(() => Recipe.From(TrainingMethod.Sft, RecipeDocument.Parse(
            "output_dir: o\nmodel: {shape: tiny, tokenizer: t}\ndata: {train: [x.jsonl]}\nlora: {rank: 4}\n", "l.yaml")));
        Assert.Contains("l.yaml: lora:", e.Message);
        Assert.Contains("model.path", e.Message);
        e = Assert.Throws<RecipeException>(() => Recipe.From(TrainingMethod.Grpo, RecipeDocument.Parse(
            "output_dir: o\nmodel: {path: m}\ndata: {env: calc}\nlora: {rank: 4, targets: [q_proj, lm_head]}\n", "g.yaml")));
        Assert.Contains("g.yaml: lora: targets: unknown module 'lm_head'", e.Message);
        var all = Recipe.From(TrainingMethod.Dpo, RecipeDocument.Parse(
            "output_dir: o\nmodel: {path: m}\ndata: {train: [x.jsonl]}\nlora: {targets: all-linear, merge: true}\n", "d.yaml"));
        Assert.Equal(LoraConfig.AllProjections, all.Lora!.ToConfig("m").TargetModules);
        Assert.True(all.Lora.Merge);
    }

    [Fact]
    public async Task Sft_recipe_with_lora_saves_a_peft_adapter_that_loads_back_and_a_merged_model()
    {
        string root = Path.Combine(Path.GetTempPath(), $"whet-recipe-lora-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var factory = EnvironmentCatalog.Create("calc");
            var episodes = await new RolloutRunner(factory, PolicySource.Expert(factory), new RolloutOptions { Seed = 0 })
                .RunAllAsync(factory.Tasks(DataSplit.Train, 16));
            string data = Path.Combine(root, "calc.jsonl");
            TrajectoryJsonl.Write(data, episodes);

            // The base: two steps of a full from-scratch SFT recipe (a Hugging Face-style directory with its tokenizer).
            string baseRecipe = Path.Combine(root, "base.yaml");
            await File.WriteAllTextAsync(baseRecipe, $"""
                output_dir: {root}/base
                model: {"{"}shape: tiny, tokenizer: {root}/tok, vocab_size: 320{"}"}
                data: {"{"}train: [{data}]{"}"}
                sft: {"{"}max_steps: 2, max_sequences_per_micro_batch: 4{"}"}
                """);
            string baseDir = await RecipeRunner.RunAsync(Recipe.Load(TrainingMethod.Sft, baseRecipe), TextWriter.Null);

            string loraRecipe = Path.Combine(root, "lora.yaml");
            await File.WriteAllTextAsync(loraRecipe, $"""
                # LoRA on the base above
                output_dir: {root}/lora
                model:
                  path: {baseDir}
                data:
                  train: [{data}]
                lora:
                  rank: 4
                  alpha: 8
                  targets: all-linear
                  merge: true
                sft:
                  max_steps: 4
                  learning_rate: 1.0e-2
                  max_sequences_per_micro_batch: 4
                  save_every: 2
                """);
            var log = new StringWriter();
            string saved = await RecipeRunner.RunAsync(Recipe.Load(TrainingMethod.Sft, loraRecipe), log);

            Assert.Equal(Path.Combine(root, "lora", "final"), saved);
            Assert.Contains("trainable parameters", log.ToString());
            Assert.True(File.Exists(Path.Combine(saved, "adapter_config.json")));
            Assert.True(File.Exists(Path.Combine(saved, LoraModel.WeightsFileName)));
            Assert.True(File.Exists(Path.Combine(saved, "tokenizer.json")));
            Assert.False(File.Exists(Path.Combine(saved, "model.safetensors")));       // the base is not copied
            var peft = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(saved, "adapter_config.json")))!;
            Assert.Equal(baseDir, peft["base_model_name_or_path"]!.GetValue<string>());
            Assert.Equal(4, peft["r"]!.GetValue<int>());
            Assert.Equal(4, File.ReadLines(Path.Combine(root, "lora", "metrics.jsonl")).Count());

            // Base + adapter (LoraModel.Load) = the merged model = what training left; and not the plain base.
            var ids = ChatFormatter.FromDirectory(saved).Tokenizer.Encode("<|im_start|>user\nadd 12 and 30<|im_end|>\n");
            float[] Logits(TransformerModel m)
            {
                using var tape = new Tape();
                using var _ = tape.NoGrad();
                return m.Forward(tape, ids, 1, ids.Length).ToArray();
            }
            using var plain = TransformerModel.Load(baseDir);
            var baseLogits = Logits(plain);
            using (var lora = LoraModel.Load(plain, saved))
            {
                Assert.True(lora.Layers.All(l => l.B.ToArray().Any(v => v != 0f)));
                var adapted = Logits(plain);
                using var merged = TransformerModel.Load(Path.Combine(saved, "merged"));
                var mergedLogits = Logits(merged);
                Assert.Equal(adapted.Length, mergedLogits.Length);
                for (int i = 0; i < adapted.Length; i++) Assert.True(Math.Abs(adapted[i] - mergedLogits[i]) < 1e-4f, $"logit {i}: {adapted[i]} vs {mergedLogits[i]}");
                Assert.Contains(Enumerable.Range(0, adapted.Length), i => Math.Abs(adapted[i] - baseLogits[i]) > 1e-4f);
            }
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
