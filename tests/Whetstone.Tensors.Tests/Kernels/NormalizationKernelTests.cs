using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

public class NormalizationKernelTests
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 2, 3 }, { 3, 7 }, { 2, 15 }, { 4, 17 }, { 3, 33 }, { 2, 100 }, { 2, 1000 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RmsNorm_matches_reference(int rows, int dim)
    {
        var x = Uniform(1, rows * dim, -2, 2); var w = Uniform(2, dim, 0.5f, 1.5f);
        var y = new float[rows * dim]; var rstd = new float[rows];
        var yr = new float[rows * dim]; var rstdr = new float[rows];
        RmsNormKernel.Forward(x, w, y, rstd, rows, dim, 1e-6f);
        RmsNormReference.Forward(x, w, yr, rstdr, rows, dim, 1e-6f);
        Close(rstdr, rstd, 1e-6, 1e-5, "rstd");
        Close(yr, y, 1e-6, 1e-5, "y");

        var dy = Uniform(3, rows * dim);
        var dx = Uniform(4, rows * dim); var dw = Uniform(5, dim);
        var dxr = (float[])dx.Clone(); var dwr = (float[])dw.Clone();
        RmsNormKernel.Backward(x, w, rstd, dy, dx, dw, rows, dim);
        RmsNormReference.Backward(x, w, rstdr, dy, dxr, dwr, rows, dim);
        Close(dxr, dx, 1e-5, 1e-4, "dx");
        Close(dwr, dw, 1e-5, 1e-4, "dw");
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 17)]
    public void RmsNorm_gradient_matches_finite_differences(int rows, int dim)
    {
        var x = Uniform(1, rows * dim, -2, 2); var w = Uniform(2, dim, 0.5f, 1.5f); var dy = Uniform(3, rows * dim);
        var y = new float[rows * dim]; var rstd = new float[rows];
        double Loss() { RmsNormReference.Forward(x, w, y, rstd, rows, dim, 1e-5f); return Dot(dy, y); }
        Loss();
        var dx = new float[rows * dim]; var dw = new float[dim];
        RmsNormKernel.Backward(x, w, rstd, dy, dx, dw, rows, dim);
        Close(NumericGradient(x, Loss, 1e-3f), dx, 2e-3, 1e-2, "dx");
        Close(NumericGradient(w, Loss, 1e-3f), dw, 2e-3, 1e-2, "dw");
    }

    [Fact]
    public void RmsNorm_follows_the_hugging_face_formula()
    {
        float[] x = [1, 2, 3, 4]; float[] w = [1, 0.5f, 2, 1];
        var y = new float[4]; var rstd = new float[1];
        RmsNormKernel.Forward(x, w, y, rstd, 1, 4, 1e-6f);
        double r = 1 / Math.Sqrt((1 + 4 + 9 + 16) / 4.0 + 1e-6);
        Assert.Equal(r, rstd[0], 6);
        for (int i = 0; i < 4; i++) Assert.Equal(x[i] * r * w[i], y[i], 5);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LayerNorm_matches_reference(int rows, int dim)
    {
        var x = Uniform(1, rows * dim, -2, 3); var w = Uniform(2, dim, 0.5f, 1.5f); var b = Uniform(6, dim);
        var y = new float[rows * dim]; var mean = new float[rows]; var rstd = new float[rows];
        var yr = new float[rows * dim]; var meanr = new float[rows]; var rstdr = new float[rows];
        LayerNormKernel.Forward(x, w, b, y, mean, rstd, rows, dim, 1e-5f);
        LayerNormReference.Forward(x, w, b, yr, meanr, rstdr, rows, dim, 1e-5f);
        Close(meanr, mean, 1e-6, 1e-5, "mean");
        Close(rstdr, rstd, 1e-5, 1e-4, "rstd");
        Close(yr, y, 2e-5, 1e-4, "y");

        var dy = Uniform(3, rows * dim);
        var dx = Uniform(4, rows * dim); var dw = Uniform(5, dim); var db = Uniform(7, dim);
        var dxr = (float[])dx.Clone(); var dwr = (float[])dw.Clone(); var dbr = (float[])db.Clone();
        LayerNormKernel.Backward(x, w, mean, rstd, dy, dx, dw, db, rows, dim);
        LayerNormReference.Backward(x, w, meanr, rstdr, dy, dxr, dwr, dbr, rows, dim);
        Close(dxr, dx, 2e-5, 1e-4, "dx");
        Close(dwr, dw, 2e-5, 1e-4, "dw");
        Close(dbr, db, 1e-5, 1e-5, "db");
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 17)]
    public void LayerNorm_gradient_matches_finite_differences(int rows, int dim)
    {
        var x = Uniform(1, rows * dim, -2, 2); var w = Uniform(2, dim, 0.5f, 1.5f); var b = Uniform(6, dim); var dy = Uniform(3, rows * dim);
        var y = new float[rows * dim]; var mean = new float[rows]; var rstd = new float[rows];
        double Loss() { LayerNormReference.Forward(x, w, b, y, mean, rstd, rows, dim, 1e-5f); return Dot(dy, y); }
        Loss();
        var dx = new float[rows * dim]; var dw = new float[dim]; var db = new float[dim];
        LayerNormKernel.Backward(x, w, mean, rstd, dy, dx, dw, db, rows, dim);
        Close(NumericGradient(x, Loss, 1e-3f), dx, 2e-3, 1e-2, "dx");
        Close(NumericGradient(w, Loss, 1e-3f), dw, 2e-3, 1e-2, "dw");
        Close(NumericGradient(b, Loss, 1e-3f), db, 2e-3, 1e-2, "db");
    }

    [Fact]
    public void Frozen_weights_skip_their_gradient_and_results_are_deterministic()
    {
        int rows = 3, dim = 45;
        var x = Uniform(1, rows * dim); var w = Uniform(2, dim); var dy = Uniform(3, rows * dim);
        var y1 = new float[rows * dim]; var y2 = new float[rows * dim]; var rstd = new float[rows];
        RmsNormKernel.Forward(x, w, y1, rstd, rows, dim, 1e-6f);
        RmsNormKernel.Forward(x, w, y2, rstd, rows, dim, 1e-6f);
        BitIdentical(y1, y2);
        var dxOnly = new float[rows * dim]; var dxBoth = new float[rows * dim]; var dw = new float[dim];
        RmsNormKernel.Backward(x, w, rstd, dy, dxOnly, [], rows, dim);
        RmsNormKernel.Backward(x, w, rstd, dy, dxBoth, dw, rows, dim);
        BitIdentical(dxBoth, dxOnly);
    }
}
