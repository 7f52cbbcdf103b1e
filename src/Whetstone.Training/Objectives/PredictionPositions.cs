namespace Whetstone.Training.Objectives;

/// <summary>
/// Moves per-token values onto the position that predicts them. Sequences store the mask and behaviour log-probs per
/// TARGET token (index t = token t), while <c>CausalLmLoss.NextTokenLogProbs</c> returns (B, T) indexed by the
/// PREDICTING position (index t = log p(token t+1)). Every objective here works in the second convention, so this
/// one shift is the only place the two meet.
/// </summary>
public static class PredictionPositions
{
    /// <summary>out[b, t] = perToken[b, t+1]; out[b, T−1] = 0 (the last position predicts nothing).</summary>
    /// <param name="perToken">(B·T), indexed by target token.</param>
    /// <param name="batch">B.</param>
    /// <param name="length">T.</param>
    public static float[] FromTargets(ReadOnlySpan<float> perToken, int batch, int length)
    {
        if (batch < 1 || length < 1 || perToken.Length != batch * length)
            throw new ArgumentException($"{perToken.Length} per-token values for a batch of {batch} × {length}");
        var result = new float[batch * length];
        for (int b = 0; b < batch; b++)
            perToken.Slice(b * length + 1, length - 1).CopyTo(result.AsSpan(b * length, length - 1));
        return result;
    }
}
