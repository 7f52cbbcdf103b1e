using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Whetstone.Training.Dpo;
using Whetstone.Training.Grpo;
using Whetstone.Training.RejectionSampling;
using Whetstone.Training.Sft;
using YamlDotNet.RepresentationModel;

namespace Whetstone.Training.Recipes;

/// <summary>
/// A resolved training recipe: the inputs (model, data, optional LoRA, output directory) and the trainer's config
/// record, read from a commented YAML file plus <c>key=value</c> overrides. Exactly one of
/// <see cref="Sft"/>, <see cref="Rft"/>, <see cref="Dpo"/>, <see cref="Grpo"/> is set, by <see cref="Method"/>.
/// </summary>
public sealed record Recipe
{
    private static readonly string[] InputKeys = ["method", "model", "data", "lora", "output_dir", "resume"];

    /// <summary>The trainer.</summary>
    public required TrainingMethod Method { get; init; }

    /// <summary>The recipe file.</summary>
    public required string Source { get; init; }

    /// <summary>What to train.</summary>
    public required RecipeModel Model { get; init; }

    /// <summary>What to train on.</summary>
    public required RecipeData Data { get; init; }

    /// <summary>LoRA adapters, or null for full fine-tuning.</summary>
    public RecipeLora? Lora { get; init; }

    /// <summary>Where metrics, checkpoints, config.json and the final model go.</summary>
    public required string OutputDir { get; init; }

    /// <summary>Continue from the newest checkpoint in <see cref="OutputDir"/> (sft, dpo, grpo).</summary>
    public bool Resume { get; init; }

    /// <summary>The SFT config (method sft).</summary>
    public SftConfig? Sft { get; init; }

    /// <summary>The RFT config (method rft).</summary>
    public RftConfig? Rft { get; init; }

    /// <summary>The DPO config (method dpo).</summary>
    public DpoConfig? Dpo { get; init; }

    /// <summary>The GRPO config (method grpo).</summary>
    public GrpoConfig? Grpo { get; init; }

    /// <summary>Loads <paramref name="path"/> for <paramref name="method"/> and applies <paramref name="overrides"/>.</summary>
    public static Recipe Load(TrainingMethod method, string path, IEnumerable<string>? overrides = null) =>
        From(method, RecipeDocument.Load(path, overrides));

    /// <summary>Maps a parsed document onto a recipe; unknown keys and bad values throw <see cref="RecipeException"/>.</summary>
    public static Recipe From(TrainingMethod method, RecipeDocument doc)
    {
        string section = method.ToString().ToLowerInvariant();
        YamlMappingNode? model = null, data = null, lora = null, config = null;
        string? outputDir = null;
        bool resume = false;
        foreach (var (keyNode, value) in doc.Root.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value ?? "";
            switch (key)
            {
                case "method":
                    string m = Scalar(doc, key, value);
                    if (!string.Equals(m, section, StringComparison.OrdinalIgnoreCase))
                        throw new RecipeException($"{doc.Where(value)}: method: the recipe is for '{m}' but the command is 'train {section}'");
                    break;
                case "model": model = Map(doc, key, value); break;
                case "data": data = Map(doc, key, value); break;
                case "lora": lora = value is YamlScalarNode { Value: null or "" or "null" or "~" } ? null : Map(doc, key, value); break;
                case "output_dir": outputDir = Scalar(doc, key, value); break;
                case "resume":
                    string r = Scalar(doc, key, value);
                    resume = r switch { "true" => true, "false" => false, _ => throw new RecipeException($"{doc.Where(value)}: resume: '{r}' is not a valid boolean (true/false)") };
                    break;
                default:
                    if (key == section) { config = Map(doc, key, value); break; }
                    throw new RecipeException($"{doc.Where(keyNode)}: unknown key '{key}' for 'train {section}' (allowed: {string.Join(", ", InputKeys.Append(section))})");
            }
        }
        if (outputDir is null) throw new RecipeException($"{doc.Source}: output_dir is required");
        var recipe = new Recipe
        {
            Method = method,
            Source = doc.Source,
            Model = RecipeBinder.Bind(new RecipeModel(), model ?? new(), doc, "model"),
            Data = RecipeBinder.Bind(new RecipeData(), data ?? new(), doc, "data"),
            Lora = lora is null ? null : RecipeBinder.Bind(new RecipeLora(), lora, doc, "lora"),
            OutputDir = outputDir,
            Resume = resume,
        };
        config ??= new YamlMappingNode();
        recipe = method switch
        {
            TrainingMethod.Sft => recipe with { Sft = RecipeBinder.Bind(new SftConfig(), config, doc, section) with { OutputDir = outputDir, Resume = resume } },
            TrainingMethod.Dpo => recipe with { Dpo = RecipeBinder.Bind(new DpoConfig(), config, doc, section) with { OutputDir = outputDir, Resume = resume } },
            TrainingMethod.Grpo => recipe with { Grpo = RecipeBinder.Bind(new GrpoConfig(), config, doc, section) with { OutputDir = outputDir, Resume = resume } },
            _ => recipe with { Rft = RecipeBinder.Bind(new RftConfig(), config, doc, section) with { OutputDir = outputDir } },
        };
        recipe.Validate();
        return recipe;
    }

    /// <summary>Checks the inputs fit the method and the trainer config is valid; errors name the recipe file.</summary>
    public void Validate()
    {
        bool hasPath = !string.IsNullOrWhiteSpace(Model.Path), hasShape = !string.IsNullOrWhiteSpace(Model.Shape);
        if (hasPath == hasShape) Fail("model: give exactly one of model.path (a Hugging Face directory) or model.shape (from scratch)");
        if (hasShape && string.IsNullOrWhiteSpace(Model.Tokenizer)) Fail("model.tokenizer: a from-scratch model.shape needs a tokenizer directory");
        if (hasShape && RecipeModels.ShapeFor(Model.Shape!) is null)
            Fail($"model.shape: '{Model.Shape}' is not a known shape (one of: {string.Join(", ", RecipeModels.ShapeNames)})");
        if (Lora is not null)
        {
            if (hasShape)
                Fail("lora: adapters need a pretrained base in model.path; a from-scratch model.shape has no base weights on disk to adapt");
            try { Lora.ToConfig(Model.Path).Validate(); }
            catch (ArgumentException e) { Fail($"lora: {e.Message.Replace("LoraConfig.TargetModules", "targets", StringComparison.Ordinal).Replace("LoraConfig.", "", StringComparison.Ordinal)}"); }
        }
        switch (Method)
        {
            case TrainingMethod.Sft or TrainingMethod.Dpo when Data.Train.Count == 0:
                Fail("data.train: list the trajectory JSONL file(s) to train on");
                break;
            case TrainingMethod.Rft or TrainingMethod.Grpo when string.IsNullOrWhiteSpace(Data.Env):
                Fail("data.env: name the environment to train on (e.g. calc)");
                break;
        }
        try
        {
            Sft?.Validate();
            Rft?.Validate();
            Dpo?.Validate();
            Grpo?.Validate();
        }
        catch (ArgumentException e) { Fail(e.Message); }
    }

    /// <summary>The resolved recipe as JSON (snake_case keys, enums by name): printed at start and saved as config.json.</summary>
    public JsonObject ToJson()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        };
        var json = new JsonObject
        {
            ["method"] = Method.ToString().ToLowerInvariant(),
            ["recipe"] = Source,
            ["model"] = JsonSerializer.SerializeToNode(Model, options),
            ["data"] = JsonSerializer.SerializeToNode(Data, options),
            ["lora"] = Lora is null ? null : JsonSerializer.SerializeToNode(Lora, options),
            ["output_dir"] = OutputDir,
            ["resume"] = Resume,
        };
        object config = (object?)Sft ?? (object?)Rft ?? (object?)Dpo ?? Grpo!;
        json[Method.ToString().ToLowerInvariant()] = JsonSerializer.SerializeToNode(config, config.GetType(), options);
        return json;
    }

    private void Fail(string message) => throw new RecipeException($"{Source}: {message}");

    private static string Scalar(RecipeDocument doc, string key, YamlNode node) =>
        node is YamlScalarNode s ? s.Value ?? "" : throw new RecipeException($"{doc.Where(node)}: {key}: expected a single value");

    private static YamlMappingNode Map(RecipeDocument doc, string key, YamlNode node) =>
        node as YamlMappingNode ?? throw new RecipeException($"{doc.Where(node)}: {key}: expected a mapping of keys to values");
}
