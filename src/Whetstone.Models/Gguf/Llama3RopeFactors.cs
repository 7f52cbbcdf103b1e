using Whetstone.Models.Configuration;

namespace Whetstone.Models.Gguf;

/// <summary>
/// Llama 3's RoPE scaling as llama.cpp takes it: not metadata but a tensor <c>rope_freqs.weight</c> of headDim/2
/// float32 divisors, one per rotary frequency (llama.cpp divides each frequency by its factor).
/// </summary>
public static class Llama3RopeFactors
{
    /// <summary>
    /// The divisors for base <paramref name="theta"/> and width <paramref name="headDim"/>: 1 for wavelengths
    /// shorter than original_max / high_freq_factor, <c>factor</c> for those longer than original_max /
    /// low_freq_factor, and between them the reciprocal of the interpolated scale.
    /// </summary>
    public static float[] Compute(RopeScaling scaling, double theta, int headDim)
    {
        var factors = new float[headDim / 2];
        double lowWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.LowFreqFactor;
        double highWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.HighFreqFactor;
        for (int i = 0; i < factors.Length; i++)
        {
            // As in HF and convert_hf_to_gguf, the frequency is computed in float32.
            float frequency = 1.0f / MathF.Pow((float)theta, 2f * i / headDim);
            double wavelength = 2 * Math.PI / frequency;
            if (wavelength < highWavelength)
                factors[i] = 1f;
            else if (wavelength > lowWavelength)
                factors[i] = (float)scaling.Factor;
            else
            {
                double smooth = (scaling.OriginalMaxPositionEmbeddings / wavelength - scaling.LowFreqFactor)
                    / (scaling.HighFreqFactor - scaling.LowFreqFactor);
                factors[i] = (float)(1 / ((1 - smooth) / scaling.Factor + smooth));
            }
        }
        return factors;
    }
}
