namespace Whetstone.Models.Configuration;

/// <summary>
/// Llama 3's RoPE frequency scaling (<c>rope_scaling.rope_type = "llama3"</c>): low frequencies are divided by
/// <see cref="Factor"/>, high ones kept, and the band between is interpolated.
/// </summary>
/// <param name="Factor">How much longer the context is than in pre-training.</param>
/// <param name="LowFreqFactor">Wavelengths longer than original_max / this are fully scaled.</param>
/// <param name="HighFreqFactor">Wavelengths shorter than original_max / this are left alone.</param>
/// <param name="OriginalMaxPositionEmbeddings">Context length in pre-training.</param>
public sealed record RopeScaling(double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);
