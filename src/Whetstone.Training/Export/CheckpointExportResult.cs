using Whetstone.Models.Lora;

namespace Whetstone.Training.Export;

/// <summary>What <see cref="CheckpointExporter.Export"/> wrote and where each part came from.</summary>
/// <param name="OutputDirectory">The model directory written (absolute).</param>
/// <param name="Step">The checkpoint's step.</param>
/// <param name="CheckpointDirectory">The <c>step-N</c> folder read.</param>
/// <param name="ConfigSource">Where the model config came from: a config.json path, or the recipe's shape.</param>
/// <param name="TokenizerDirectory">The folder the tokenizer files were copied from.</param>
/// <param name="Files">File names in <paramref name="OutputDirectory"/>, sorted.</param>
/// <param name="ParameterCount">Parameters of the exported model (a tied embedding counted once).</param>
/// <param name="MergedLora">For a LoRA checkpoint, the adapter settings merged into the base; null for full weights.</param>
/// <param name="BaseModelDirectory">For a LoRA checkpoint, the base model the adapters were merged into.</param>
public sealed record CheckpointExportResult(
    string OutputDirectory,
    long Step,
    string CheckpointDirectory,
    string ConfigSource,
    string TokenizerDirectory,
    IReadOnlyList<string> Files,
    long ParameterCount,
    LoraConfig? MergedLora,
    string? BaseModelDirectory);
