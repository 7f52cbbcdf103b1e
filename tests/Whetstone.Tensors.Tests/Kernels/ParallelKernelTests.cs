using Whetstone.Tensors.Kernels;
using Whetstone.Tensors.Tests.Threading;
using Whetstone.Tensors.Threading;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

/// <summary>
/// Large calls run over the compute pool in chunks fixed by the problem size, so the results must be bit-identical
/// for any thread count (reductions across rows included) and still match the scalar references.
/// </summary>
[Collection(ComputeThreadsCollection.Name)]
public class ParallelKernelTests
{
    // Sizes well above KernelPartition.MinParallelBytes, with odd lengths so chunks end in vector tails.
    private const int Rows = 97, Dim = 1000, Vocab = 7001, LossRows = 21, Elements = 200_003;

    /// <summary>Runs <paramref name="compute"/> with 1 thread and with 2 and 3, and asserts every output is bit-identical.</summary>
    private static float[][] SameForAnyThreadCount(Func<float[][]> compute)
    {
        int saved = ComputeThreads.Count;
        try
        {
            ComputeThreads.Count = 1;
            var serial = compute();
            foreach (int threads in new[] { 2, 3 })
            {
                ComputeThreads.Count = threads;
                var parallel = compute();
                Assert.Equal(serial.Length, parallel.Length);
                for (int i = 0; i < serial.Length; i++)
                    BitIdentical(serial[i], parallel[i]);
            }
            return serial;
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public void Add_forward_and_backward_are_thread_count_independent_and_exact()
    {
        var a = Uniform(41, Elements); var b = Uniform(42, Elements); var dy = Uniform(43, Elements);
        var da0 = Uniform(44, Elements); var db0 = Uniform(45, Elements);
        var outs = SameForAnyThreadCount(() =>
        {
            var y = new float[Elements];
            AddKernel.Forward(a, b, y);
            var da = (float[])da0.Clone(); var db = (float[])db0.Clone();
            AddKernel.Backward(dy, da, db);
            var inPlace = (float[])a.Clone();
            AddKernel.Forward(inPlace, b, inPlace);   // y may be a
            return [y, da, db, inPlace];
        });
        var ry = new float[Elements];
        AddReference.Forward(a, b, ry);
        var rda = (float[])da0.Clone(); var rdb = (float[])db0.Clone();
        AddReference.Backward(dy, rda, rdb);
        BitIdentical(ry, outs[0]);   // one IEEE addition per element: exact, not just close
        BitIdentical(rda, outs[1]);
        BitIdentical(rdb, outs[2]);
        BitIdentical(ry, outs[3]);
    }

    [Fact]
    public void RmsNorm_forward_and_backward_are_thread_count_independent()
    {
        var x = Uniform(1, Rows * Dim); var w = Uniform(2, Dim); var dy = Uniform(3, Rows * Dim);
        var dx0 = Uniform(4, Rows * Dim); var dw0 = Uniform(5, Dim);
        var outs = SameForAnyThreadCount(() =>
        {
            var y = new float[Rows * Dim]; var rstd = new float[Rows];
            RmsNormKernel.Forward(x, w, y, rstd, Rows, Dim, 1e-6f);
            var dx = (float[])dx0.Clone(); var dw = (float[])dw0.Clone();
            RmsNormKernel.Backward(x, w, rstd, dy, dx, dw, Rows, Dim);
            var dwOnly = (float[])dw0.Clone();
            RmsNormKernel.Backward(x, w, rstd, dy, default, dwOnly, Rows, Dim);
            return [y, rstd, dx, dw, dwOnly];
        });
        var ry = new float[Rows * Dim]; var rrstd = new float[Rows];
        RmsNormReference.Forward(x, w, ry, rrstd, Rows, Dim, 1e-6f);
        var rdx = (float[])dx0.Clone(); var rdw = (float[])dw0.Clone();
        RmsNormReference.Backward(x, w, rrstd, dy, rdx, rdw, Rows, Dim);
        Close(ry, outs[0]); Close(rrstd, outs[1]); Close(rdx, outs[2]);
        Close(rdw, outs[3], atol: 1e-4, rtol: 1e-4); Close(rdw, outs[4], atol: 1e-4, rtol: 1e-4);
    }

    [Fact]
    public void LayerNorm_forward_and_backward_are_thread_count_independent()
    {
        var x = Uniform(11, Rows * Dim); var w = Uniform(12, Dim); var b = Uniform(13, Dim); var dy = Uniform(14, Rows * Dim);
        var dx0 = Uniform(15, Rows * Dim); var dw0 = Uniform(16, Dim); var db0 = Uniform(17, Dim);
        var outs = SameForAnyThreadCount(() =>
        {
            var y = new float[Rows * Dim]; var mean = new float[Rows]; var rstd = new float[Rows];
            LayerNormKernel.Forward(x, w, b, y, mean, rstd, Rows, Dim, 1e-5f);
            var dx = (float[])dx0.Clone(); var dw = (float[])dw0.Clone(); var db = (float[])db0.Clone();
            LayerNormKernel.Backward(x, w, mean, rstd, dy, dx, dw, db, Rows, Dim);
            var dbOnly = (float[])db0.Clone();
            LayerNormKernel.Backward(x, w, mean, rstd, dy, default, default, dbOnly, Rows, Dim);
            return [y, mean, rstd, dx, dw, db, dbOnly];
        });
        var ry = new float[Rows * Dim]; var rmean = new float[Rows]; var rrstd = new float[Rows];
        LayerNormReference.Forward(x, w, b, ry, rmean, rrstd, Rows, Dim, 1e-5f);
        var rdx = (float[])dx0.Clone(); var rdw = (float[])dw0.Clone(); var rdb = (float[])db0.Clone();
        LayerNormReference.Backward(x, w, rmean, rrstd, dy, rdx, rdw, rdb, Rows, Dim);
        Close(ry, outs[0]); Close(rmean, outs[1]); Close(rrstd, outs[2]); Close(rdx, outs[3]);
        Close(rdw, outs[4], atol: 1e-4, rtol: 1e-4); Close(rdb, outs[5], atol: 1e-4, rtol: 1e-4); Close(rdb, outs[6], atol: 1e-4, rtol: 1e-4);
    }

    [Fact]
    public void Softmax_forward_and_backward_are_thread_count_independent()
    {
        var x = Uniform(21, Rows * Dim, -5f, 5f); var dy = Uniform(22, Rows * Dim); var dx0 = Uniform(23, Rows * Dim);
        var outs = SameForAnyThreadCount(() =>
        {
            var y = new float[Rows * Dim];
            SoftmaxKernel.Forward(x, y, Rows, Dim);
            var dx = (float[])dx0.Clone();
            SoftmaxKernel.Backward(y, dy, dx, Rows, Dim);
            return [y, dx];
        });
        var ry = new float[Rows * Dim];
        SoftmaxReference.Forward(x, ry, Rows, Dim);
        var rdx = (float[])dx0.Clone();
        SoftmaxReference.Backward(ry, dy, rdx, Rows, Dim);
        Close(ry, outs[0]); Close(rdx, outs[1]);
    }

    [Fact]
    public void Activations_are_thread_count_independent()
    {
        var x = Uniform(31, Elements, -6f, 6f); var up = Uniform(32, Elements); var dy = Uniform(33, Elements); var d0 = Uniform(34, Elements);
        var outs = SameForAnyThreadCount(() =>
        {
            var silu = new float[Elements]; SiluKernel.Forward(x, silu);
            var dsilu = (float[])d0.Clone(); SiluKernel.Backward(x, dy, dsilu);
            var tanh = new float[Elements]; GeluTanhKernel.Forward(x, tanh);
            var dtanh = (float[])d0.Clone(); GeluTanhKernel.Backward(x, dy, dtanh);
            var erf = new float[Elements]; GeluErfKernel.Forward(x, erf);
            var derf = (float[])d0.Clone(); GeluErfKernel.Backward(x, dy, derf);
            var swi = new float[Elements]; SwiGluKernel.Forward(x, up, swi);
            var dgate = (float[])d0.Clone(); var dup = (float[])d0.Clone(); SwiGluKernel.Backward(x, up, dy, dgate, dup);
            var dgateOnly = (float[])d0.Clone(); SwiGluKernel.Backward(x, up, dy, dgateOnly, default);
            var dupOnly = (float[])d0.Clone(); SwiGluKernel.Backward(x, up, dy, default, dupOnly);
            return [silu, dsilu, tanh, dtanh, erf, derf, swi, dgate, dup, dgateOnly, dupOnly];
        });
        var r = new float[Elements];
        SiluReference.Forward(x, r); Close(r, outs[0]);
        GeluTanhReference.Forward(x, r); Close(r, outs[2]);
        GeluErfReference.Forward(x, r); Close(r, outs[4]);
        SwiGluReference.Forward(x, up, r); Close(r, outs[6]);
        var rd = (float[])d0.Clone(); SiluReference.Backward(x, dy, rd); Close(rd, outs[1]);
        rd = (float[])d0.Clone(); GeluTanhReference.Backward(x, dy, rd); Close(rd, outs[3]);
        rd = (float[])d0.Clone(); GeluErfReference.Backward(x, dy, rd); Close(rd, outs[5]);
        var rg = (float[])d0.Clone(); var ru = (float[])d0.Clone(); SwiGluReference.Backward(x, up, dy, rg, ru);
        Close(rg, outs[7]); Close(ru, outs[8]); Close(rg, outs[9]); Close(ru, outs[10]);
    }

    [Fact]
    public void Cross_entropy_forward_and_backward_are_thread_count_independent()
    {
        var logits = Uniform(41, LossRows * Vocab, -8f, 8f); var targets = Ids(42, LossRows, Vocab);
        targets[3] = CrossEntropyKernel.DefaultIgnoreIndex; targets[LossRows - 1] = CrossEntropyKernel.DefaultIgnoreIndex;
        var d0 = Uniform(43, LossRows * Vocab);
        double serialLoss = double.NaN;
        var outs = SameForAnyThreadCount(() =>
        {
            var lse = new float[LossRows];
            var sum = CrossEntropyKernel.Forward(logits, targets, lse, LossRows, Vocab);
            Assert.Equal(LossRows - 2, sum.Count);
            if (double.IsNaN(serialLoss)) serialLoss = sum.Loss;
            else Assert.Equal(BitConverter.DoubleToInt64Bits(serialLoss), BitConverter.DoubleToInt64Bits(sum.Loss));
            var d = (float[])d0.Clone();
            CrossEntropyKernel.Backward(logits, targets, lse, d, LossRows, Vocab, 0.25f);
            return [lse, d];
        });
        var rlse = new float[LossRows];
        var rsum = CrossEntropyReference.Forward(logits, targets, rlse, LossRows, Vocab);
        var rd = (float[])d0.Clone();
        CrossEntropyReference.Backward(logits, targets, rlse, rd, LossRows, Vocab, 0.25f);
        Close(rlse, outs[0]); Close(rd, outs[1]);
        Assert.Equal(rsum.Loss, serialLoss, rsum.Loss * 1e-5);
    }

    [Fact]
    public void Token_log_prob_forward_and_backward_are_thread_count_independent()
    {
        var logits = Uniform(51, LossRows * Vocab, -8f, 8f); var targets = Ids(52, LossRows, Vocab);
        var dLogProbs = Uniform(53, LossRows); dLogProbs[2] = 0f;
        var d0 = Uniform(54, LossRows * Vocab);
        var outs = SameForAnyThreadCount(() =>
        {
            var logp = new float[LossRows]; var lse = new float[LossRows];
            TokenLogProbKernel.Forward(logits, targets, logp, lse, LossRows, Vocab);
            var d = (float[])d0.Clone();
            TokenLogProbKernel.Backward(logits, targets, lse, dLogProbs, d, LossRows, Vocab);
            return [logp, lse, d];
        });
        var rlogp = new float[LossRows]; var rlse = new float[LossRows];
        TokenLogProbReference.Forward(logits, targets, rlogp, rlse, LossRows, Vocab);
        var rd = (float[])d0.Clone();
        TokenLogProbReference.Backward(logits, targets, rlse, dLogProbs, rd, LossRows, Vocab);
        Close(rlogp, outs[0]); Close(rlse, outs[1]); Close(rd, outs[2]);
    }

    [Fact]
    public void Bad_target_in_a_parallel_call_still_throws_with_its_row()
    {
        var logits = Uniform(61, LossRows * Vocab); var targets = Ids(62, LossRows, Vocab);
        targets[17] = Vocab + 5;
        var lse = new float[LossRows];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyKernel.Forward(logits, targets, lse, LossRows, Vocab));
        Assert.Contains($"Target id {Vocab + 5} at row 17", e.Message);
    }
}
