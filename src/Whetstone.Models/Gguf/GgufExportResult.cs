namespace Whetstone.Models.Gguf;

/// <summary>What <see cref="GgufExporter.Export"/> wrote.</summary>
/// <param name="Path">The GGUF file.</param>
/// <param name="Architecture">llama.cpp architecture: <c>llama</c>, <c>qwen2</c> or <c>qwen3</c>.</param>
/// <param name="DType">Storage type of the matrices.</param>
/// <param name="TensorCount">Tensors written.</param>
/// <param name="ParameterCount">Elements over all tensors written.</param>
/// <param name="FileBytes">Size of the file.</param>
/// <param name="VocabularySize">Entries of tokenizer.ggml.tokens.</param>
/// <param name="TokenizerPre">The tokenizer.ggml.pre written.</param>
/// <param name="Warnings">Things llama.cpp may do differently from the HF model (skipped tensors, an unknown pre-tokenizer…).</param>
public sealed record GgufExportResult(
    string Path,
    string Architecture,
    GgufTensorType DType,
    int TensorCount,
    long ParameterCount,
    long FileBytes,
    int VocabularySize,
    string TokenizerPre,
    IReadOnlyList<string> Warnings);
