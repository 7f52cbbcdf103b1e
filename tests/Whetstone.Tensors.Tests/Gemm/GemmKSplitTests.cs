using Whetstone.Tensors.Kernels;
using Whetstone.Tensors.Threading;
using static Whetstone.Tensors.Tests.Gemm.GemmTestData;

namespace Whetstone.Tensors.Tests.Gemm;

/// <summary>The long-K split of the GEMM driver: when it applies, and that it changes no bit of the result.</summary>
[Collection(ComputeThreadsCollection.Name)]
public class GemmKSplitTests
{
    private const long Budget = GemmDriver<GemmMicroKernel512>.PanelBudget;

    [Theory]
    [InlineData(2048, 384)]     // a linear layer's forward: K = hidden
    [InlineData(2048, 2048)]    // dW with K = B·T = 2048
    [InlineData(16384, 2048)]   // lm_head dW: K = tokens
    public void ShortKIsNotSplit(int m, int k) => Assert.Equal(k, GemmKSplit.Step(m, k, mc: 192, kc: 256, Budget));

    [Theory]
    [InlineData(2048, 16384)]   // lm_head dX of the 19M model: K = vocabulary
    [InlineData(4096, 151936)]  // Qwen's vocabulary
    [InlineData(5, 20000)]
    public void LongKIsSplitAtMultiplesOfKc(int m, int k)
    {
        int step = GemmKSplit.Step(m, k, mc: 192, kc: 256, Budget);
        Assert.InRange(step, 4 * 256, k - 1);
        Assert.Equal(0, step % 256);
        // The slab of one chunk then holds all of M (or at least four MC blocks) within the packing budget.
        Assert.True((long)Math.Max(4 * 192, (m + 191) / 192 * 192) * step <= Budget || step == 4 * 256);
    }

    [Fact]
    public void SplitResultIsBitIdenticalToTheWholeKLoopForEveryKernelAndTranspose()
    {
        int m = 150, n = 40, k = 20000;   // 2^22 / 20000 < 4·MC for every kernel: split for all
        foreach (var kind in SupportedKinds())
        foreach (var transA in new[] { Transpose.None, Transpose.Transposed })
        foreach (var transB in new[] { Transpose.None, Transpose.Transposed })
        {
            var (ar, ac) = Stored(transA, m, k);
            var (br, bc) = Stored(transB, k, n);
            var a = Random(ar * ac, 21);
            var b = Random(br * bc, 22);
            var split = Random(m * n, 23);
            var whole = (float[])split.Clone();
            GemmTests.Run(kind, transA, transB, m, n, k, 0.75f, a, ac, b, bc, 1f, split, n);
            GemmKSplit.Enabled = false;
            try
            {
                GemmTests.Run(kind, transA, transB, m, n, k, 0.75f, a, ac, b, bc, 1f, whole, n);
            }
            finally
            {
                GemmKSplit.Enabled = true;
            }
            Assert.True(whole.AsSpan().SequenceEqual(split), $"{kind} {transA}/{transB}: the K split changed the result");
        }
    }

    [Fact]
    public void SplitMatchesTheScalarReferenceAndIsThreadCountInvariant()
    {
        int m = 70, n = 33, k = 17000, saved = ComputeThreads.Count;
        var a = Random(m * k, 31);
        var b = Random(n * k, 32);   // stored (n, k): the lm_head-like A·Bᵀ
        var expected = Random(m * n, 33);
        GemmReference.Multiply(Transpose.None, Transpose.Transposed, m, n, k, 1f, a, k, b, k, 0.5f, expected, n);
        float[]? first = null;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                ComputeThreads.Count = threads;
                var c = Random(m * n, 33);
                Whetstone.Tensors.Kernels.Gemm.Multiply(Transpose.None, Transpose.Transposed, m, n, k, 1f, a, k, b, k, 0.5f, c, n);
                AssertClose(expected, c, Tolerance(k, 1f, 0.5f), $"{threads} threads");
                if (first is null) first = c;
                else Assert.True(first.AsSpan().SequenceEqual(c), $"{threads} threads differ from 1 thread");
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }
}
