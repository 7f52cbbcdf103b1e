namespace Whetstone.Tensors.Kernels;

/// <summary>Plain-loop reference for <see cref="AttentionSoftmaxKernel"/>; sums in double.</summary>
internal static class AttentionSoftmaxReference
{
    public static void Forward(ReadOnlySpan<float> scores, Span<float> probs, int rows, int cols, float scale, bool causal, int offset)
    {
        for (int r = 0; r < rows; r++)
        {
            int visible = causal ? Math.Min(cols, offset + r + 1) : cols;
            double max = double.NegativeInfinity;
            for (int c = 0; c < visible; c++) max = Math.Max(max, (double)scale * scores[r * cols + c]);
            double sum = 0;
            for (int c = 0; c < visible; c++) sum += Math.Exp(scale * scores[r * cols + c] - max);
            for (int c = 0; c < cols; c++)
                probs[r * cols + c] = c < visible ? (float)(Math.Exp(scale * scores[r * cols + c] - max) / sum) : 0f;
        }
    }

    public static void Backward(ReadOnlySpan<float> probs, ReadOnlySpan<float> dprobs, Span<float> dscores,
        int rows, int cols, float scale, bool causal, int offset)
    {
        for (int r = 0; r < rows; r++)
        {
            int visible = causal ? Math.Min(cols, offset + r + 1) : cols;
            double dot = 0;
            for (int c = 0; c < visible; c++) dot += (double)dprobs[r * cols + c] * probs[r * cols + c];
            for (int c = 0; c < visible; c++)
                dscores[r * cols + c] += (float)(scale * probs[r * cols + c] * (dprobs[r * cols + c] - dot));
        }
    }
}
