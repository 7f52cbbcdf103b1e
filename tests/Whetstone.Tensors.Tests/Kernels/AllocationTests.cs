using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

/// <summary>Steady-state training must not allocate per step, so no kernel may allocate per call.</summary>
public class AllocationTests
{
    [Fact]
    public void Kernels_do_not_allocate_per_call()
    {
        int rows = 3, dim = 64, vocab = 5000, heads = 2, headDim = 32;
        var x = Uniform(1, rows * vocab); var y = new float[rows * vocab]; var dy = Uniform(2, rows * vocab); var dx = new float[rows * vocab];
        var w = Uniform(3, dim); var b = Uniform(4, dim); var dw = new float[dim]; var db = new float[dim];
        var stat1 = new float[rows]; var stat2 = new float[rows];
        int[] targets = [1, -100, 4999]; int[] ids = [0, 2, 1]; int[] positions = [0, 5, 2];
        var inv = new float[headDim / 2]; RopeTables.InverseFrequencies(inv, headDim, 10000f);
        var cos = new float[8 * headDim / 2]; var sin = new float[8 * headDim / 2]; RopeTables.Build(inv, 8, cos, sin);
        var xs = x.AsSpan(0, rows * dim).ToArray(); var ys = new float[rows * dim]; var dys = dy.AsSpan(0, rows * dim).ToArray(); var dxs = new float[rows * dim];
        var rope = x.AsSpan(0, rows * heads * headDim).ToArray(); var ropeOut = new float[rope.Length];

        void Run()
        {
            AddKernel.Forward(x, dy, y); MulKernel.Backward(x, dy, dy, dx, y); AddScaledKernel.Accumulate(0.5f, x, y);
            SiluKernel.Forward(x, y); SiluKernel.Backward(x, dy, dx);
            SwiGluKernel.Forward(x, dy, y); SwiGluKernel.Backward(x, dy, dy, dx, y);
            GeluTanhKernel.Forward(x, y); GeluErfKernel.Backward(x, dy, dx);
            RmsNormKernel.Forward(xs, w, ys, stat1, rows, dim, 1e-6f); RmsNormKernel.Backward(xs, w, stat1, dys, dxs, dw, rows, dim);
            LayerNormKernel.Forward(xs, w, b, ys, stat1, stat2, rows, dim, 1e-5f); LayerNormKernel.Backward(xs, w, stat1, stat2, dys, dxs, dw, db, rows, dim);
            SoftmaxKernel.Forward(x, y, rows, vocab); SoftmaxKernel.Backward(y, dy, dx, rows, vocab);
            AttentionSoftmaxKernel.Forward(xs, ys, rows, dim, 0.125f, true, 4);
            RopeKernel.Forward(rope, ropeOut, positions, heads, headDim, cos, sin); RopeKernel.Backward(rope, ropeOut, positions, heads, headDim, cos, sin);
            EmbeddingKernel.Forward(xs, ids, ys, rows, dim); EmbeddingKernel.Backward(dys, ids, dxs, rows, dim);
            CrossEntropyKernel.Forward(x, targets, stat1, rows, vocab); CrossEntropyKernel.Backward(x, targets, stat1, dx, rows, vocab, 0.5f);
            TokenLogProbKernel.Forward(x, ids, stat2, stat1, rows, vocab);
            EntropyKernel.Forward(x, stat2, stat1, rows, vocab);
            SumKernel.ForwardRows(x, stat1, rows, vocab); MeanKernel.BackwardRows(stat1, dx, rows, vocab);
        }

        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
