namespace Whetstone.Models.Gguf;

/// <summary>Settings of <see cref="GgufExporter.Export"/>.</summary>
public sealed record GgufExportOptions
{
    /// <summary>Storage of matrices: <see cref="GgufTensorType.F16"/> (default, llama.cpp's usual) or
    /// <see cref="GgufTensorType.F32"/>. Norms, biases and other 1-D tensors are F32 in either case.</summary>
    public GgufTensorType DType { get; init; } = GgufTensorType.F16;

    /// <summary><c>general.name</c>; the model directory's name when null.</summary>
    public string? Name { get; init; }

    /// <summary>A <c>tokenizer.ggml.pre</c> to write instead of the detected one.</summary>
    public string? TokenizerPre { get; init; }

    /// <summary>Data alignment in bytes (a power of two).</summary>
    public int Alignment { get; init; } = GgufWriter.DefaultAlignment;
}
