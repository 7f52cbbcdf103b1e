namespace Whetstone.Training.Recipes;

/// <summary>The <c>model:</c> section: a Hugging Face directory to load, or a named shape trained from scratch.</summary>
public sealed record RecipeModel
{
    /// <summary>A Hugging Face model directory (config.json, *.safetensors, tokenizer.json, tokenizer_config.json).</summary>
    public string? Path { get; init; }

    /// <summary>From scratch: <c>tiny</c>, <c>smollm2-135m</c>, <c>qwen2.5-0.5b</c> or <c>qwen3-0.6b</c> (random weights).</summary>
    public string? Shape { get; init; }

    /// <summary>From scratch: the tokenizer directory; when it has no tokenizer.json, a byte-level BPE is trained on the
    /// run's data (ChatML renderings) and written there.</summary>
    public string? Tokenizer { get; init; }

    /// <summary>From scratch: vocabulary size requested when a tokenizer is trained.</summary>
    public int VocabSize { get; init; } = 1024;

    /// <summary>From scratch: overrides of the shape's width (0 keeps the shape's).</summary>
    public int HiddenSize { get; init; }

    /// <summary>From scratch: overrides of the shape's MLP width (0 keeps the shape's).</summary>
    public int IntermediateSize { get; init; }

    /// <summary>From scratch: overrides of the shape's layer count (0 keeps the shape's).</summary>
    public int NumLayers { get; init; }

    /// <summary>From scratch: the initialisation seed.</summary>
    public ulong Seed { get; init; } = 7;
}
