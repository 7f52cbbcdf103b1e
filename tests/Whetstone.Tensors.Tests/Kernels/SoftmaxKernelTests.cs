using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

public class SoftmaxKernelTests
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 2, 3 }, { 3, 7 }, { 2, 15 }, { 4, 17 }, { 3, 33 }, { 2, 100 }, { 2, 1000 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Softmax_matches_reference(int rows, int cols)
    {
        var x = Uniform(1, rows * cols, -8, 8);
        var y = new float[rows * cols]; var yr = new float[rows * cols];
        SoftmaxKernel.Forward(x, y, rows, cols);
        SoftmaxReference.Forward(x, yr, rows, cols);
        Close(yr, y, 1e-7, 1e-5);

        var dy = Uniform(2, rows * cols);
        var dx = Uniform(3, rows * cols); var dxr = (float[])dx.Clone();
        SoftmaxKernel.Backward(y, dy, dx, rows, cols);
        SoftmaxReference.Backward(yr, dy, dxr, rows, cols);
        Close(dxr, dx, 1e-6, 1e-4);
    }

    [Theory]
    [InlineData(4, 4, 0, 0.5f)]
    [InlineData(3, 10, 7, 0.125f)]
    [InlineData(5, 33, 28, 1f)]
    [InlineData(1, 100, 99, 0.088f)]
    [InlineData(17, 17, 0, 0.3f)]
    public void Causal_attention_softmax_matches_reference(int rows, int cols, int offset, float scale)
    {
        var s = Uniform(1, rows * cols, -6, 6);
        var p = new float[rows * cols]; var pr = new float[rows * cols];
        AttentionSoftmaxKernel.Forward(s, p, rows, cols, scale, causal: true, offset);
        AttentionSoftmaxReference.Forward(s, pr, rows, cols, scale, true, offset);
        Close(pr, p, 1e-7, 1e-5);
        for (int r = 0; r < rows; r++)
            for (int c = offset + r + 1; c < cols; c++)
                Assert.Equal(0f, p[r * cols + c]); // query r at position offset + r never sees later keys

        var dp = Uniform(2, rows * cols);
        var ds = Uniform(3, rows * cols); var dsr = (float[])ds.Clone();
        AttentionSoftmaxKernel.Backward(p, dp, ds, rows, cols, scale, true, offset);
        AttentionSoftmaxReference.Backward(pr, dp, dsr, rows, cols, scale, true, offset);
        Close(dsr, ds, 1e-6, 1e-4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Attention_gradient_matches_finite_differences(bool causal)
    {
        int rows = 3, cols = 6, offset = 2; float scale = 0.7f;
        var s = Uniform(1, rows * cols, -2, 2); var dp = Uniform(2, rows * cols);
        var p = new float[rows * cols];
        double Loss() { AttentionSoftmaxReference.Forward(s, p, rows, cols, scale, causal, offset); return Dot(dp, p); }
        Loss();
        var ds = new float[rows * cols];
        AttentionSoftmaxKernel.Backward(p, dp, ds, rows, cols, scale, causal, offset);
        Close(NumericGradient(s, Loss, 1e-3f), ds, 1e-3, 1e-2);
    }

    [Fact]
    public void Large_scores_do_not_overflow_and_rows_sum_to_one()
    {
        float[] x = [1000f, 999f, -1000f, 1e30f, 1e30f, 0f];
        var y = new float[6];
        SoftmaxKernel.Forward(x, y, 2, 3);
        Assert.Equal(1.0, y[0] + y[1] + y[2], 5);
        Assert.Equal(0.5f, y[3], 5);
        Assert.Equal(0.5f, y[4], 5);
        Assert.Equal(0f, y[5]);
    }

    [Fact]
    public void Decode_step_with_cache_sees_every_key()
    {
        // One new query after 9 cached tokens: T_q = 1, T_k = 10, offset = 9.
        var s = Uniform(1, 10);
        var p = new float[10];
        AttentionSoftmaxKernel.Forward(s, p, 1, 10, 1f, causal: true, offset: 9);
        Assert.All(p, v => Assert.True(v > 0f));
    }

    [Fact]
    public void Deterministic_and_in_place()
    {
        var x = Uniform(1, 3 * 77, -5, 5);
        var a = new float[x.Length]; var b = (float[])x.Clone();
        SoftmaxKernel.Forward(x, a, 3, 77);
        SoftmaxKernel.Forward(b, b, 3, 77);
        BitIdentical(a, b);
    }

    [Fact]
    public void Bad_scale_or_offset_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AttentionSoftmaxKernel.Forward(new float[4], new float[4], 2, 2, 0f, true, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AttentionSoftmaxKernel.Forward(new float[4], new float[4], 2, 2, 1f, true, -1));
    }
}

public class AttentionPaddingTests
{
    [Theory]
    [InlineData(5, 5, 0, 2, true)]
    [InlineData(4, 12, 8, 3, true)]
    [InlineData(3, 40, 37, 17, true)]
    [InlineData(3, 20, 0, 6, false)]
    public void First_key_masks_padding_and_matches_reference(int rows, int cols, int offset, int firstKey, bool causal)
    {
        var s = Uniform(1, rows * cols, -4, 4);
        var p = new float[rows * cols]; var pr = new float[rows * cols];
        AttentionSoftmaxKernel.Forward(s, p, rows, cols, 0.5f, causal, offset, firstKey);
        AttentionSoftmaxReference.Forward(s, pr, rows, cols, 0.5f, causal, offset, firstKey);
        Close(pr, p, 1e-7, 1e-5);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < firstKey; c++) Assert.Equal(0f, p[r * cols + c]);

        var dp = Uniform(2, rows * cols);
        var ds = Uniform(3, rows * cols); var dsr = (float[])ds.Clone();
        AttentionSoftmaxKernel.Backward(p, dp, ds, rows, cols, 0.5f, causal, offset, firstKey);
        AttentionSoftmaxReference.Backward(pr, dp, dsr, rows, cols, 0.5f, causal, offset, firstKey);
        Close(dsr, ds, 1e-6, 1e-4);
    }

    [Fact]
    public void Padding_queries_with_no_visible_key_are_zero_and_get_no_gradient()
    {
        // Prefill of a left-padded sequence: 3 pad tokens then 2 real ones; queries 0..2 see only padding.
        int rows = 5, cols = 5, firstKey = 3;
        var s = Uniform(1, rows * cols);
        var p = new float[rows * cols];
        AttentionSoftmaxKernel.Forward(s, p, rows, cols, 1f, causal: true, offset: 0, firstKey);
        for (int c = 0; c < 3 * cols; c++) Assert.Equal(0f, p[c]);
        Assert.Equal(1f, p[3 * cols + 3], 6);
        var ds = new float[rows * cols];
        AttentionSoftmaxKernel.Backward(p, Uniform(2, rows * cols), ds, rows, cols, 1f, true, 0, firstKey);
        for (int c = 0; c < 3 * cols; c++) Assert.Equal(0f, ds[c]);
        Assert.Throws<ArgumentOutOfRangeException>(() => AttentionSoftmaxKernel.Forward(s, p, rows, cols, 1f, true, 0, cols + 1));
    }
}
