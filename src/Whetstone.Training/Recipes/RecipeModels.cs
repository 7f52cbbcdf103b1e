using Whetstone.Agents.Trajectories;
using Whetstone.Models.Configuration;
using Whetstone.Models.Templates;
using Whetstone.Models.Tokenization.Training;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;

namespace Whetstone.Training.Recipes;

/// <summary>
/// Builds a recipe's model and chat formatter: a Hugging Face directory is loaded as is; a named shape gets random
/// weights sized to its tokenizer, and a missing tokenizer is trained (byte-level BPE on the ChatML renderings of
/// the given conversations, ChatML specials and tool-call tags included) and written to the tokenizer directory.
/// </summary>
public static class RecipeModels
{
    private static readonly Dictionary<string, Func<ModelConfig>> Shapes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tiny"] = () => ModelShapes.Tiny(),
        ["smollm2-135m"] = ModelShapes.SmolLM2_135M,
        ["qwen2.5-0.5b"] = ModelShapes.Qwen2_5_0_5B,
        ["qwen3-0.6b"] = ModelShapes.Qwen3_0_6B,
    };

    /// <summary>The shape names <c>model.shape</c> accepts.</summary>
    public static IEnumerable<string> ShapeNames => Shapes.Keys;

    /// <summary>The shape's config (vocabulary not yet set), or null when unknown.</summary>
    public static ModelConfig? ShapeFor(string name) => Shapes.TryGetValue(name, out var make) ? make() : null;

    /// <summary>True when the model is built from scratch and its tokenizer still has to be trained.</summary>
    public static bool NeedsTokenizer(RecipeModel m) =>
        m.Path is null && !File.Exists(Path.Combine(m.Tokenizer!, "tokenizer.json"));

    /// <summary>Trains a BPE of <see cref="RecipeModel.VocabSize"/> on the conversations and writes it (with a ChatML
    /// tokenizer_config.json) to <see cref="RecipeModel.Tokenizer"/>.</summary>
    public static void TrainTokenizer(RecipeModel m, IEnumerable<Trajectory> conversations)
    {
        var template = new ChatTemplate(ChatMlTemplate.Source);
        var texts = conversations.Select(t => template.Render(
            TemplateJson.Messages(ConversationMessage.FromTrajectory(t).Select(x => x.Message)), TemplateJson.Tools(t.Tools),
            addGenerationPrompt: false)).ToList();
        if (texts.Count == 0) throw new RecipeException("model.tokenizer: no conversations to train a tokenizer on");
        var trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = m.VocabSize }).Train(texts);
        Directory.CreateDirectory(m.Tokenizer!);
        ChatMlTokenizerConfig.WriteTokenizerFiles(m.Tokenizer!, trained, modelMaxLength: 2048);
    }

    /// <summary>Loads or creates the model and its chat formatter.</summary>
    public static (TransformerModel Model, ChatFormatter Chat) Build(RecipeModel m)
    {
        if (m.Path is not null)
        {
            return (TransformerModel.Load(m.Path), ChatFormatter.FromDirectory(m.Path));
        }
        var chat = ChatFormatter.FromDirectory(m.Tokenizer!);
        return (TransformerModel.Create(ConfigFor(m, chat.Tokenizer.VocabSize), m.Seed), chat);
    }

    /// <summary>
    /// The config a from-scratch <c>model.shape</c> is built with: the shape with the recipe's size overrides and
    /// <paramref name="vocabSize"/> (its tokenizer's) ids. Exporting a checkpoint of an unfinished run rebuilds it here.
    /// </summary>
    /// <exception cref="RecipeException">model.shape is not set or not a known shape.</exception>
    public static ModelConfig ConfigFor(RecipeModel m, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(m);
        var shape = (m.Shape is null ? null : ShapeFor(m.Shape))
            ?? throw new RecipeException($"model.shape: '{m.Shape}' is not a known shape (one of: {string.Join(", ", ShapeNames)})");
        var config = shape with
        {
            VocabSize = vocabSize,
            HiddenSize = m.HiddenSize > 0 ? m.HiddenSize : shape.HiddenSize,
            HeadDim = m.HiddenSize > 0 ? m.HiddenSize / shape.NumHeads : shape.HeadDim,
            IntermediateSize = m.IntermediateSize > 0 ? m.IntermediateSize : shape.IntermediateSize,
            NumLayers = m.NumLayers > 0 ? m.NumLayers : shape.NumLayers,
            MaxPositionEmbeddings = Math.Max(shape.MaxPositionEmbeddings, 2048),
        };
        config.Validate($"model.shape {m.Shape}");
        return config;
    }
}
