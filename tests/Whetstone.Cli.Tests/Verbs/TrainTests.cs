using Whetstone.Cli.Tests.Infrastructure;
using Whetstone.Cli.Tests.Models;

namespace Whetstone.Cli.Tests.Verbs;

public class TrainTests
{
    private static readonly string SftRecipe = TinySftRun.SftRecipe;

    private static string[] TinySft(TempDirectory dir, string data) => TinySftRun.Overrides(dir.File("run"), dir.File("tokenizer"), data);

    [Fact]
    public async Task Train_sft_runs_the_recipe_with_overrides_and_report_renders_the_run()
    {
        using var dir = new TempDirectory();
        var data = dir.File("calc-expert.jsonl");
        Assert.Equal(0, (await Whet.RunAsync("rollout", "--env", "calc", "--policy", "expert", "--episodes", "24", "--split", "train", "--out", data)).ExitCode);

        var train = await Whet.RunAsync(["train", "sft", "--config", SftRecipe, .. TinySft(dir, data)]);

        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("\"max_steps\": 4", train.Output);                 // the resolved config shows the override
        Assert.Contains("sft: 4 steps, final loss", train.Output);
        Assert.Contains("step 4/4 (100.0%)", train.Error);                 // plain progress: the last step always prints
        Assert.DoesNotContain('\r', train.Error);
        var final = dir.File(Path.Combine("run", "final"));
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(final, file)), file);
        Assert.Equal(4, File.ReadLines(dir.File(Path.Combine("run", "metrics.jsonl"))).Count());

        var report = await Whet.RunAsync("report", dir.File("run"));

        Assert.True(report.ExitCode == 0, report.ToString());
        var html = File.ReadAllText(dir.File(Path.Combine("run", "report.html")));
        Assert.Contains("<svg", html);
        Assert.Contains($"wrote {dir.File(Path.Combine("run", "report.html"))}", report.Output);
    }

    [Fact]
    public async Task A_misspelt_override_key_is_named_with_the_keys_that_exist()
    {
        var result = await Whet.RunAsync("train", "sft", "--config", SftRecipe, "sft.max_step=3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("override 'sft.max_step=3': unknown key 'sft.max_step'", result.Error);
        Assert.Contains("max_steps", result.Error);
    }

    [Fact]
    public async Task A_bad_override_value_names_the_key()
    {
        var result = await Whet.RunAsync("train", "sft", "--config", SftRecipe, "sft.learning_rate=fast");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("sft.learning_rate", result.Error);
        Assert.Contains("fast", result.Error);
    }

    [Fact]
    public async Task A_missing_recipe_file_is_named()
    {
        var result = await Whet.RunAsync("train", "dpo", "--config", "no/such/recipe.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no/such/recipe.yaml", result.Error);
    }

    [Fact]
    public async Task Report_of_a_missing_directory_fails_with_its_name()
    {
        using var dir = new TempDirectory();
        var result = await Whet.RunAsync("report", dir.File("nothing-here"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("nothing-here", result.Error);
    }
}
