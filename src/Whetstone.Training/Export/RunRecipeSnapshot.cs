using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Training.Recipes;

namespace Whetstone.Training.Export;

/// <summary>
/// The <c>model</c> and <c>lora</c> sections of the resolved recipe that <c>whet train</c> saves as RUN_DIR/config.json
/// when a run starts, so they exist for a run that never reached final/. An RFT run keeps its rounds' checkpoints in
/// RUN_DIR/round-N, so for a round folder without its own config.json the run's is read.
/// </summary>
/// <param name="Path">The config.json read.</param>
/// <param name="RunRoot">The folder that holds it (and the run's final/).</param>
/// <param name="Model">The model section, or null when the file has none (an RFT run still in progress writes only its RftConfig there).</param>
/// <param name="Lora">The lora section, or null.</param>
internal sealed record RunRecipeSnapshot(string Path, string RunRoot, RecipeModel? Model, RecipeLora? Lora)
{
    public const string FileName = "config.json";

    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The folder whose config.json and final/ describe the run of <paramref name="runDirectory"/>.</summary>
    public static string RootOf(string runDirectory)
    {
        if (File.Exists(System.IO.Path.Combine(runDirectory, FileName))) return runDirectory;
        var parent = System.IO.Path.GetDirectoryName(runDirectory);
        bool isRound = System.IO.Path.GetFileName(runDirectory).StartsWith("round-", StringComparison.Ordinal);
        return isRound && parent is not null && File.Exists(System.IO.Path.Combine(parent, FileName)) ? parent : runDirectory;
    }

    /// <summary>Reads the snapshot, or returns null when the run has no config.json.</summary>
    /// <exception cref="CheckpointExportException">The file is not valid JSON or a section does not parse.</exception>
    public static RunRecipeSnapshot? TryRead(string runDirectory)
    {
        var root = RootOf(runDirectory);
        var path = System.IO.Path.Combine(root, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new CheckpointExportException($"{path}: not a JSON object.");
            return new RunRecipeSnapshot(path, root, Section<RecipeModel>(json, "model"), Section<RecipeLora>(json, "lora"));
        }
        catch (JsonException e)
        {
            throw new CheckpointExportException($"{path}: not a resolved recipe ({e.Message}).", e);
        }
    }

    private static T? Section<T>(JsonObject json, string name) where T : class =>
        json[name] is JsonObject section ? section.Deserialize<T>(SnakeCase) : null;
}
