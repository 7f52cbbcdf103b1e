using System.Numerics.Tensors;
using Whetstone.Tensors.Threading;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// Softmax over the last axis. x, y, dy, dx: (rows, cols). The output y is what the backward pass needs.
/// For attention scores (scale, causal mask, KV-cache offset) see <see cref="AttentionSoftmaxKernel"/>.
/// </summary>
public static unsafe class SoftmaxKernel
{
    /// <summary>y[r, :] = softmax(x[r, :]), max-subtracted. y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        ShapeCheck.Rows(x.Length, rows, cols, nameof(x));
        ShapeCheck.Rows(y.Length, rows, cols, nameof(y));
        int chunks = KernelPartition.RowChunkCount(rows, 2L * x.Length * sizeof(float));
        if (chunks == 1) { AttentionSoftmaxKernel.Forward(x, y, rows, cols, 1f, causal: false, offset: 0); return; }
        // Rows are independent, so fixed row chunks give the same bits as one call, for any thread count.
        fixed (float* px = x, py = y)
            ComputePool.For(chunks, new Body { A = px, Y = py, Rows = rows, Cols = cols, Chunks = chunks });
    }

    /// <summary>dx += y ⊙ (dy − rowsum(dy ⊙ y)).</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        ShapeCheck.Rows(y.Length, rows, cols, nameof(y));
        ShapeCheck.Rows(dy.Length, rows, cols, nameof(dy));
        ShapeCheck.Rows(dx.Length, rows, cols, nameof(dx));
        int chunks = KernelPartition.RowChunkCount(rows, 4L * y.Length * sizeof(float));
        if (chunks == 1) { AttentionSoftmaxKernel.Backward(y, dy, dx, rows, cols, 1f, causal: false, offset: 0); return; }
        fixed (float* py = y, pdy = dy, pdx = dx)
            ComputePool.For(chunks, new Body { A = py, B = pdy, Y = pdx, Rows = rows, Cols = cols, Chunks = chunks, IsBackward = true });
    }

    // Forward: A = x, Y = y. Backward: A = y, B = dy, Y = dx.
    private struct Body : IComputeLoopBody
    {
        public float* A, B, Y;
        public int Rows, Cols, Chunks;
        public bool IsBackward;

        public readonly void Invoke(int index)
        {
            int r0 = KernelPartition.RowStart(index, Chunks, Rows), r1 = KernelPartition.RowStart(index + 1, Chunks, Rows);
            int n = (r1 - r0) * Cols;
            nint at = (nint)r0 * Cols;
            if (IsBackward)
                AttentionSoftmaxKernel.Backward(new ReadOnlySpan<float>(A + at, n), new ReadOnlySpan<float>(B + at, n), new Span<float>(Y + at, n),
                    r1 - r0, Cols, 1f, causal: false, offset: 0);
            else
                AttentionSoftmaxKernel.Forward(new ReadOnlySpan<float>(A + at, n), new Span<float>(Y + at, n), r1 - r0, Cols, 1f, causal: false, offset: 0);
        }
    }
}
