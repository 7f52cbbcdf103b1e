using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

public class ElementwiseKernelTests
{
    [Theory]
    [MemberData(nameof(Sizes), MemberType = typeof(KernelTestData))]
    public void Binary_ops_match_reference_and_accumulate(int n)
    {
        var a = Uniform(1, n); var b = Uniform(2, n); var dy = Uniform(3, n);
        var y = new float[n]; var yr = new float[n];

        AddKernel.Forward(a, b, y); AddReference.Forward(a, b, yr); Close(yr, y, 0, 0, "add");
        SubKernel.Forward(a, b, y); SubReference.Forward(a, b, yr); Close(yr, y, 0, 0, "sub");
        MulKernel.Forward(a, b, y); MulReference.Forward(a, b, yr); Close(yr, y, 0, 0, "mul");
        ScaleKernel.Forward(a, 0.37f, y); ScaleReference.Forward(a, 0.37f, yr); Close(yr, y, 0, 0, "scale");
        AddScaledKernel.Forward(a, b, -1.5f, y); AddScaledReference.Forward(a, b, -1.5f, yr); Close(yr, y, 1e-6, 1e-6, "addscaled");

        // Backward: start both from the same non-zero gradients so the += is checked too.
        void CheckBackward(Action<float[], float[]> fast, Action<float[], float[]> reference, string what)
        {
            var da = Uniform(4, n); var db = Uniform(5, n);
            var dar = (float[])da.Clone(); var dbr = (float[])db.Clone();
            fast(da, db); reference(dar, dbr);
            Close(dar, da, 1e-6, 1e-6, what + " da"); Close(dbr, db, 1e-6, 1e-6, what + " db");
        }
        CheckBackward((da, db) => AddKernel.Backward(dy, da, db), (da, db) => AddReference.Backward(dy, da, db), "add");
        CheckBackward((da, db) => SubKernel.Backward(dy, da, db), (da, db) => SubReference.Backward(dy, da, db), "sub");
        CheckBackward((da, db) => MulKernel.Backward(a, b, dy, da, db), (da, db) => MulReference.Backward(a, b, dy, da, db), "mul");
        CheckBackward((da, _) => ScaleKernel.Backward(dy, 0.37f, da), (da, _) => ScaleReference.Backward(dy, 0.37f, da), "scale");
        CheckBackward((da, db) => AddScaledKernel.Backward(dy, -1.5f, da, db), (da, db) => AddScaledReference.Backward(dy, -1.5f, da, db), "addscaled");
        CheckBackward((_, db) => AddScaledKernel.Accumulate(0.25f, dy, db), (_, db) => AddScaledReference.Accumulate(0.25f, dy, db), "axpy");
    }

    [Fact]
    public void Mul_gradient_matches_finite_differences()
    {
        var a = Uniform(1, 13); var b = Uniform(2, 13); var dy = Uniform(3, 13);
        var y = new float[13];
        double Loss() { MulReference.Forward(a, b, y); return Dot(dy, y); }
        var da = new float[13]; var db = new float[13];
        MulKernel.Backward(a, b, dy, da, db);
        Close(NumericGradient(a, Loss), da, 1e-3, 1e-2, "da");
        Close(NumericGradient(b, Loss), db, 1e-3, 1e-2, "db");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 33)]
    [InlineData(4, 100)]
    public void Row_broadcast_add_and_mul_match_reference(int rows, int cols)
    {
        var x = Uniform(1, rows * cols); var w = Uniform(2, cols); var dy = Uniform(3, rows * cols);
        var y = new float[rows * cols]; var yr = new float[rows * cols];
        RowBroadcastAddKernel.Forward(x, w, y, rows, cols); RowBroadcastAddReference.Forward(x, w, yr, rows, cols);
        Close(yr, y, 0, 0, "bias add");
        RowBroadcastMulKernel.Forward(x, w, y, rows, cols); RowBroadcastMulReference.Forward(x, w, yr, rows, cols);
        Close(yr, y, 0, 0, "row mul");

        var dx = Uniform(4, rows * cols); var dw = Uniform(5, cols);
        var dxr = (float[])dx.Clone(); var dwr = (float[])dw.Clone();
        RowBroadcastAddKernel.Backward(dy, dx, dw, rows, cols); RowBroadcastAddReference.Backward(dy, dxr, dwr, rows, cols);
        Close(dxr, dx, 1e-6, 1e-5, "bias dx"); Close(dwr, dw, 1e-5, 1e-5, "dbias");
        RowBroadcastMulKernel.Backward(x, w, dy, dx, dw, rows, cols); RowBroadcastMulReference.Backward(x, w, dy, dxr, dwr, rows, cols);
        Close(dxr, dx, 1e-5, 1e-5, "mul dx"); Close(dwr, dw, 1e-5, 1e-5, "dw");
    }

    [Fact]
    public void Row_broadcast_mul_gradient_matches_finite_differences()
    {
        int rows = 3, cols = 5;
        var x = Uniform(1, rows * cols); var w = Uniform(2, cols); var dy = Uniform(3, rows * cols);
        var y = new float[rows * cols];
        double Loss() { RowBroadcastMulReference.Forward(x, w, y, rows, cols); return Dot(dy, y); }
        var dx = new float[rows * cols]; var dw = new float[cols];
        RowBroadcastMulKernel.Backward(x, w, dy, dx, dw, rows, cols);
        Close(NumericGradient(x, Loss), dx, 1e-3, 1e-2, "dx");
        Close(NumericGradient(w, Loss), dw, 1e-3, 1e-2, "dw");
        var db = new float[cols];
        RowBroadcastAddKernel.Backward(dy, [], db, rows, cols);
        double BiasLoss() { RowBroadcastAddReference.Forward(x, w, y, rows, cols); return Dot(dy, y); }
        Close(NumericGradient(w, BiasLoss), db, 1e-3, 1e-2, "dbias");
    }

    [Fact]
    public void Output_may_alias_an_input()
    {
        var a = Uniform(1, 37); var b = Uniform(2, 37);
        var expected = new float[37];
        MulReference.Forward(a, b, expected);
        MulKernel.Forward(a, b, a);
        Close(expected, a, 0, 0);
    }

    [Fact]
    public void Mismatched_lengths_throw()
    {
        Assert.Throws<ArgumentException>(() => AddKernel.Forward(new float[3], new float[4], new float[3]));
        Assert.Throws<ArgumentException>(() => RowBroadcastAddKernel.Forward(new float[6], new float[2], new float[6], 2, 3));
    }
}
