using Whetstone.Training.Recipes;
using Whetstone.Training.Sft;

namespace Whetstone.Training.Tests.Recipes;

/// <summary>key=value overrides: YAML scalar types, dotted nested keys, and errors that name the key, file and line.</summary>
public class RecipeOverrideTests
{
    private const string Yaml = """
        # a test recipe
        output_dir: runs/x
        model:
          shape: tiny
          tokenizer: runs/tok
        data:
          train: [a.jsonl]
        sft:
          max_steps: 10
          learning_rate: 1.0e-3
        """;

    private static Recipe Sft(params string[] overrides) =>
        Recipe.From(TrainingMethod.Sft, RecipeDocument.Parse(Yaml, "test.yaml", overrides));

    [Fact]
    public void Scalars_follow_the_yaml_rules_and_the_property_types()
    {
        var r = Sft("sft.max_steps=25", "sft.learning_rate=3e-4", "sft.show_progress=true", "sft.schedule=constant",
            "sft.loss=dft", "sft.max_grad_norm=0.5", "resume=true", "output_dir=runs/y", "data.train=[b.jsonl, c.jsonl]");
        Assert.Equal(25, r.Sft!.MaxSteps);
        Assert.Equal(3e-4f, r.Sft.LearningRate);
        Assert.True(r.Sft.ShowProgress);
        Assert.Equal(SftSchedule.Constant, r.Sft.Schedule);
        Assert.Equal(SftLoss.Dft, r.Sft.Loss);
        Assert.Equal(0.5, r.Sft.MaxGradNorm);
        Assert.True(r.Resume);
        Assert.True(r.Sft.Resume);
        Assert.Equal("runs/y", r.Sft.OutputDir);
        Assert.Equal(["b.jsonl", "c.jsonl"], r.Data.Train);
        Assert.Equal(7UL, r.Model.Seed);
        Assert.Equal(16, r.Sft.MaxSequencesPerMicroBatch); // untouched keys keep the record's default
    }

    [Fact]
    public void Dotted_keys_reach_nested_sections_and_create_missing_ones()
    {
        var r = Sft("lora.rank=4", "lora.targets=[q_proj, k_proj]", "model.hidden_size=96", "model.shape=null", "model.path=base");
        Assert.Equal(4, r.Lora!.Rank);
        Assert.Equal(16f, r.Lora.Alpha);
        Assert.Equal(["q_proj", "k_proj"], r.Lora.Targets);
        Assert.Equal(96, r.Model.HiddenSize);

        var rft = Recipe.From(TrainingMethod.Rft, RecipeDocument.Parse("output_dir: o\nmodel: {path: m}\ndata: {env: calc}\n", "r.yaml",
            ["rft.sft.max_steps=7", "rft.rounds=2"]));
        Assert.Equal(7, rft.Rft!.Sft.MaxSteps);
        Assert.Equal(1e-4f, rft.Rft.Sft.LearningRate); // RftConfig's own default for its SFT rounds survives
        Assert.Equal(2, rft.Rft.Rounds);
    }

    [Fact]
    public void Unknown_key_in_the_file_names_the_key_the_file_and_the_line()
    {
        var e = Assert.Throws<RecipeException>(() => Recipe.From(TrainingMethod.Sft,
            RecipeDocument.Parse(Yaml + "\n  learnin_rate: 3\n", "test.yaml")));
        Assert.Contains("test.yaml:11", e.Message);
        Assert.Contains("sft.learnin_rate", e.Message);
        Assert.Contains("learning_rate", e.Message); // the list of valid keys
    }

    [Fact]
    public void Unknown_key_in_an_override_names_the_override()
    {
        var e = Assert.Throws<RecipeException>(() => Sft("lora.rnk=8"));
        Assert.Contains("override 'lora.rnk=8'", e.Message);
        Assert.Contains("lora.rnk", e.Message);
        var top = Assert.Throws<RecipeException>(() => Sft("grpo.max_steps=3"));
        Assert.Contains("unknown key 'grpo'", top.Message);
    }

    [Fact]
    public void Bad_values_name_the_field()
    {
        var e = Assert.Throws<RecipeException>(() => Sft("sft.max_steps=many"));
        Assert.Contains("sft.max_steps", e.Message);
        Assert.Contains("'many'", e.Message);
        var en = Assert.Throws<RecipeException>(() => Sft("sft.schedule=wavy"));
        Assert.Contains("sft.schedule", en.Message);
        Assert.Contains("cosine", en.Message); // lists the valid names
        var b = Assert.Throws<RecipeException>(() => Sft("sft.show_progress=maybe"));
        Assert.Contains("sft.show_progress", b.Message);
        var v = Assert.Throws<RecipeException>(() => Sft("sft.learning_rate=-1"));
        Assert.Contains("LearningRate", v.Message); // the trainer config's own validation, prefixed by the file
        Assert.Contains("test.yaml", v.Message);
        Assert.Throws<RecipeException>(() => Sft("no_equals_sign"));
    }

    [Fact]
    public void Inputs_are_checked_against_the_method()
    {
        Assert.Contains("exactly one of model.path",
            Assert.Throws<RecipeException>(() => Sft("model.path=somewhere")).Message);
        Assert.Contains("data.env", Assert.Throws<RecipeException>(() => Recipe.From(TrainingMethod.Grpo,
            RecipeDocument.Parse("output_dir: o\nmodel: {path: m}\n", "g.yaml"))).Message);
        Assert.Contains("'train dpo'", Assert.Throws<RecipeException>(() => Recipe.From(TrainingMethod.Dpo,
            RecipeDocument.Parse("method: sft\noutput_dir: o\n", "m.yaml"))).Message);
        Assert.Contains("not a known shape", Assert.Throws<RecipeException>(() => Sft("model.shape=huge")).Message);
    }
}
