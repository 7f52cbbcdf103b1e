using System.Text.Json;
using Whetstone.Cli.Tests.Infrastructure;
using Whetstone.Cli.Tests.Models;
using Whetstone.Models.Checkpoints;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Policies;

namespace Whetstone.Cli.Tests.Verbs;

[Collection(TinySftRunCollection.Name)]
public class ExportCheckpointTests(TinySftRun run)
{
    private static void AssertWeightsEqual(string safetensorsPath, TransformerModel model)
    {
        using var file = SafetensorsFile.Open(safetensorsPath);
        Assert.Equal(model.Parameters.Count, file.Entries.Count);
        foreach (var p in model.Parameters)
            Assert.True(p.Value.AsSpan().SequenceEqual(file.ReadFloat32(p.Name)), $"{p.Name} differs from {safetensorsPath}");
    }

    [Fact]
    public async Task An_intermediate_step_exports_its_own_weights_and_loads_as_a_local_policy()
    {
        using var dir = new TempDirectory();
        var output = dir.File("step2");

        var result = await Whet.RunAsync("export", "checkpoint", "--run", run.Directory, "--step", "2", "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(step 2;", result.Output);
        Assert.Contains("config.json, model.safetensors, tokenizer.json, tokenizer_config.json", result.Output);
        using var exported = TransformerModel.Load(output);
        AssertWeightsEqual(TinySftRun.CheckpointWeights(run.Directory, 2), exported);
        // The run went on to step 4, so final/ must differ: the export did not just copy final/.
        using var final = TransformerModel.Load(run.Final);
        Assert.Contains(exported.Parameters, p => !p.Value.AsSpan().SequenceEqual(final.Parameters[p.Name].Value.AsSpan()));
        using var policy = new LocalPolicy(exported, ChatFormatter.FromDirectory(output));

        var eval = await Whet.RunAsync("eval", "--env", "calc", "--policy", $"local:{output}", "--episodes", "1",
            "--max-turns", "1", "--max-tokens", "8", "--temperature", "0", "--json");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        using var json = JsonDocument.Parse(eval.Output);
        Assert.Equal(1, json.RootElement.GetProperty("episodes").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("infra_errors").GetInt32());
    }

    [Fact]
    public async Task Latest_of_an_unfinished_from_scratch_run_rebuilds_the_config_from_the_recipe_shape()
    {
        using var dir = new TempDirectory();
        var copy = run.CopyRun(dir.File("run"));
        Directory.Delete(Path.Combine(copy, "final"), recursive: true);   // as if the run had been stopped after step 4
        var output = dir.File("latest");

        var result = await Whet.RunAsync("export", "checkpoint", "--run", copy, "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(step 4;", result.Output);
        Assert.Contains("model.shape 'tiny'", result.Output);
        // Step 4 is the last step, so the trainer's own final/ is the oracle for both the config and the weights.
        Assert.Equal(File.ReadAllText(Path.Combine(run.Final, "config.json")), File.ReadAllText(Path.Combine(output, "config.json")));
        using var exported = TransformerModel.Load(output);
        AssertWeightsEqual(Path.Combine(run.Final, "model.safetensors"), exported);
    }

    [Fact]
    public async Task A_corrupt_model_safetensors_fails_naming_the_file_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        var copy = run.CopyRun(dir.File("run"));
        var weights = TinySftRun.CheckpointWeights(copy, 2);
        var bytes = File.ReadAllBytes(weights);
        bytes[^10] ^= 0x40;   // same length, different content: only the SHA-256 can tell
        File.WriteAllBytes(weights, bytes);

        var result = await Whet.RunAsync("export", "checkpoint", "--run", copy, "--step", "2", "--out", dir.File("out"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(weights, result.Error);
        Assert.Contains("SHA-256", result.Error);
        Assert.Equal(["run"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));   // no output, no staging folder
    }

    [Fact]
    public async Task A_missing_step_is_named_with_the_steps_that_exist()
    {
        using var dir = new TempDirectory();

        var result = await Whet.RunAsync("export", "checkpoint", "--run", run.Directory, "--step", "3", "--out", dir.File("out"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(Path.Combine(run.Directory, "checkpoints", "step-000003"), result.Error);
        Assert.Contains("Steps with a complete checkpoint", result.Error);
        Assert.Contains(": 2, 4.", result.Error);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public async Task A_non_empty_output_is_replaced_only_with_force()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "mine");

        var refused = await Whet.RunAsync("export", "checkpoint", "--run", run.Directory, "--out", output);
        var forced = await Whet.RunAsync("export", "checkpoint", "--run", run.Directory, "--out", output, "--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{output} exists and is not empty", refused.Error);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.False(File.Exists(Path.Combine(output, "keep.txt")));
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));
    }

    [Fact]
    public async Task A_lora_checkpoint_is_merged_into_its_base_as_the_peft_adapter_would_be()
    {
        using var dir = new TempDirectory();
        var lora = run.LoraRun;
        var output = dir.File("merged");

        var result = await Whet.RunAsync("export", "checkpoint", "--run", lora, "--step", "2", "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"merged into {run.Final}", result.Output);
        // Oracle: the same adapters as a PEFT directory, loaded the way `whet serve --adapter` loads one.
        var adapter = Directory.CreateDirectory(dir.File("adapter")).FullName;
        File.Copy(TinySftRun.CheckpointWeights(lora, 2), Path.Combine(adapter, LoraModel.WeightsFileName));
        File.Copy(Path.Combine(lora, "final", PeftAdapterConfig.FileName), Path.Combine(adapter, PeftAdapterConfig.FileName));
        using var expected = TransformerModel.Load(run.Final);
        using (var adapters = LoraModel.Load(expected, adapter)) adapters.Merge();
        using var exported = TransformerModel.Load(output);
        using var baseModel = TransformerModel.Load(run.Final);
        foreach (var p in exported.Parameters)
            Assert.True(p.Value.AsSpan().SequenceEqual(expected.Parameters[p.Name].Value.AsSpan()), $"{p.Name} differs from the PEFT merge");
        var q = "model.layers.0.self_attn.q_proj.weight";
        Assert.False(exported.Parameters[q].Value.AsSpan().SequenceEqual(baseModel.Parameters[q].Value.AsSpan()), "two steps of training left B at zero");
    }
}
