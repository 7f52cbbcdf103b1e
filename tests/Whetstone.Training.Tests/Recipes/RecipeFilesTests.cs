using Whetstone.Training.Recipes;

namespace Whetstone.Training.Tests.Recipes;

/// <summary>Every recipe shipped in recipes/ parses, maps onto its trainer config, and opens with the command that runs it.</summary>
public class RecipeFilesTests
{
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Whetstone.slnx")) && Directory.Exists(Path.Combine(dir.FullName, "recipes")))
                return dir.FullName;
        throw new DirectoryNotFoundException("repository root (Whetstone.slnx + recipes/) not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string> RecipeFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(RepoRoot(), "recipes"), "*.yaml").Order()) data.Add(Path.GetFileName(f));
        return data;
    }

    [Fact]
    public void The_recipes_folder_has_one_recipe_per_method_and_a_real_model_one()
    {
        var names = Directory.GetFiles(Path.Combine(RepoRoot(), "recipes"), "*.yaml").Select(Path.GetFileName).ToHashSet();
        Assert.Contains("sft-calc-tiny.yaml", names);
        Assert.Contains("rft-calc-tiny.yaml", names);
        Assert.Contains("dpo-calc-tiny.yaml", names);
        Assert.Contains("grpo-calc-tiny.yaml", names);
        Assert.Contains("sft-qwen2.5-0.5b.yaml", names);
    }

    [Theory]
    [MemberData(nameof(RecipeFiles))]
    public void Recipe_parses_maps_and_opens_with_its_command(string file)
    {
        string path = Path.Combine(RepoRoot(), "recipes", file);
        var method = Enum.Parse<TrainingMethod>(file[..file.IndexOf('-')], ignoreCase: true);
        string m = method.ToString().ToLowerInvariant();
        Assert.Equal($"# dotnet run --project src/Whetstone.Cli -c Release -- train {m} --config recipes/{file}", File.ReadLines(path).First());

        var recipe = Recipe.Load(method, path);
        Assert.Equal(method, recipe.Method);
        Assert.False(string.IsNullOrWhiteSpace(recipe.OutputDir));
        object config = method switch
        {
            TrainingMethod.Sft => recipe.Sft!,
            TrainingMethod.Rft => recipe.Rft!,
            TrainingMethod.Dpo => recipe.Dpo!,
            _ => recipe.Grpo!,
        };
        Assert.NotNull(config);
        // The trainer config carries the recipe's output_dir (RFT passes it on to its rounds itself).
        Assert.Equal(recipe.OutputDir, (string?)config.GetType().GetProperty("OutputDir")!.GetValue(config));
        Assert.Equal(m, recipe.ToJson()["method"]!.GetValue<string>());
    }

    [Fact]
    public void Recipe_values_reach_the_config_records()
    {
        string dir = Path.Combine(RepoRoot(), "recipes");
        var sft = Recipe.Load(TrainingMethod.Sft, Path.Combine(dir, "sft-calc-tiny.yaml"));
        Assert.Equal(1500, sft.Sft!.MaxSteps);
        Assert.Equal(2e-3f, sft.Sft.LearningRate);
        Assert.Equal(Whetstone.Training.Sft.SftSchedule.Cosine, sft.Sft.Schedule);
        Assert.Equal(128, sft.Model.HiddenSize);
        Assert.Equal(["data/calc-expert.jsonl"], sft.Data.Train);
        Assert.Null(sft.Lora);

        var rft = Recipe.Load(TrainingMethod.Rft, Path.Combine(dir, "rft-calc-tiny.yaml"));
        Assert.Equal(150, rft.Rft!.Sft.MaxSteps);
        Assert.Equal(5e-4f, rft.Rft.Sft.LearningRate);
        Assert.Equal("calc", rft.Data.Env);

        var grpo = Recipe.Load(TrainingMethod.Grpo, Path.Combine(dir, "grpo-calc-tiny.yaml"));
        Assert.Equal(Whetstone.Training.Objectives.LossAggregation.TokenMean, grpo.Grpo!.Aggregation);
        Assert.Equal(1e-4f, grpo.Grpo.LearningRate);

        var qwen = Recipe.Load(TrainingMethod.Sft, Path.Combine(dir, "sft-qwen2.5-0.5b.yaml"));
        Assert.Equal("models/Qwen2.5-0.5B-Instruct", qwen.Model.Path);
        Assert.Equal(4, qwen.Sft!.GradientAccumulationSteps);
    }
}
