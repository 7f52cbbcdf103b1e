namespace Whetstone.Tensors.Kernels;

/// <summary>Plain-loop reference for <see cref="SoftmaxKernel"/>.</summary>
internal static class SoftmaxReference
{
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
        => AttentionSoftmaxReference.Forward(x, y, rows, cols, 1f, false, 0);

    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
        => AttentionSoftmaxReference.Backward(y, dy, dx, rows, cols, 1f, false, 0);
}
