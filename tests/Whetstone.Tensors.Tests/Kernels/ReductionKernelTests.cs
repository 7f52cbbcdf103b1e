using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

public class ReductionKernelTests
{
    [Theory]
    [MemberData(nameof(Sizes), MemberType = typeof(KernelTestData))]
    public void Whole_span_sum_and_mean_match_reference(int n)
    {
        var x = Uniform(1, n);
        Assert.Equal(SumReference.Forward(x), SumKernel.Forward(x), 1e-4f);
        Assert.Equal(MeanReference.Forward(x), MeanKernel.Forward(x), 1e-5f);

        var dx = Uniform(2, n); var dxr = (float[])dx.Clone();
        SumKernel.Backward(0.3f, dx); SumReference.Backward(0.3f, dxr);
        Close(dxr, dx, 1e-7, 1e-6);
        MeanKernel.Backward(0.3f, dx); MeanReference.Backward(0.3f, dxr);
        Close(dxr, dx, 1e-7, 1e-6);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(4, 33)]
    [InlineData(2, 1000)]
    public void Row_sum_and_mean_match_reference(int rows, int cols)
    {
        var x = Uniform(1, rows * cols);
        var y = new float[rows]; var yr = new float[rows];
        SumKernel.ForwardRows(x, y, rows, cols); SumReference.ForwardRows(x, yr, rows, cols);
        Close(yr, y, 1e-4, 1e-5);
        MeanKernel.ForwardRows(x, y, rows, cols); MeanReference.ForwardRows(x, yr, rows, cols);
        Close(yr, y, 1e-6, 1e-5);

        var dy = Uniform(2, rows);
        var dx = Uniform(3, rows * cols); var dxr = (float[])dx.Clone();
        SumKernel.BackwardRows(dy, dx, rows, cols); SumReference.BackwardRows(dy, dxr, rows, cols);
        Close(dxr, dx, 1e-7, 1e-6);
        MeanKernel.BackwardRows(dy, dx, rows, cols); MeanReference.BackwardRows(dy, dxr, rows, cols);
        Close(dxr, dx, 1e-7, 1e-6);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        int rows = 3, cols = 4;
        var x = Uniform(1, rows * cols); var dy = Uniform(2, rows);
        var y = new float[rows];
        var dx = new float[rows * cols];
        MeanKernel.BackwardRows(dy, dx, rows, cols);
        Close(NumericGradient(x, () => { MeanReference.ForwardRows(x, y, rows, cols); return Dot(dy, y); }), dx, 1e-3, 1e-2);
        var dxs = new float[rows * cols];
        SumKernel.Backward(0.7f, dxs);
        Close(NumericGradient(x, () => 0.7 * SumReference.Forward(x)), dxs, 1e-3, 1e-2);
    }
}
