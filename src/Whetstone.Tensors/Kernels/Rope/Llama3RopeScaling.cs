namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Llama 3.1-style RoPE frequency scaling (config.json <c>rope_scaling</c> with <c>rope_type: "llama3"</c>):
/// long wavelengths are divided by <see cref="Factor"/>, short ones are kept, and the band between is blended.
/// </summary>
/// <param name="Factor">Divisor for the low frequencies (e.g. 8 for Llama 3.1, 32 for Llama 3.2).</param>
/// <param name="LowFreqFactor">Wavelengths above original_max_position_embeddings / this are fully scaled (e.g. 1).</param>
/// <param name="HighFreqFactor">Wavelengths below original_max_position_embeddings / this are not scaled (e.g. 4).</param>
/// <param name="OriginalMaxPositionEmbeddings">The context length the model was pre-trained with (e.g. 8192).</param>
public sealed record Llama3RopeScaling(float Factor, float LowFreqFactor, float HighFreqFactor, int OriginalMaxPositionEmbeddings);
