using Whetstone.Tensors.Kernels;
using Whetstone.Tensors.Threading;
using static Whetstone.Tensors.Tests.Gemm.GemmTestData;

namespace Whetstone.Tensors.Tests.Gemm;

/// <summary>Every fast micro-kernel this machine supports against <see cref="GemmReference"/>.</summary>
[Collection(ComputeThreadsCollection.Name)]
public class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 17, 3 }, { 3, 1, 17 }, { 17, 33, 65 }, { 33, 65, 17 }, { 65, 127, 33 },
        { 127, 3, 129 }, { 12, 32, 256 }, { 24, 64, 257 }, { 200, 70, 300 }, { 13, 97, 600 },
        { 2, 4100, 3 }, { 3100, 5, 2 }, { 4, 600, 300 }, { 5, 600, 300 }, { 1, 1000, 1000 },
        { 2100, 5, 2100 }, { 6, 2100, 2100 }, // more than one packed A slab / B panel
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesReferenceForAllTransposesAndKernels(int m, int n, int k)
    {
        // The big slab/panel shapes test the driver's loop nest, which is the same for every kernel: run them once.
        var kinds = (long)m * n * k > 10_000_000 ? [GemmDispatch.Best] : SupportedKinds();
        foreach (var kind in kinds)
        foreach (var transA in new[] { Transpose.None, Transpose.Transposed })
        foreach (var transB in new[] { Transpose.None, Transpose.Transposed })
            Check(kind, transA, transB, m, n, k, alpha: 1f, beta: 0f, pad: 0, seed: m * 7919 + n * 31 + k);
    }

    [Theory]
    [InlineData(1f, 1f)]
    [InlineData(0.5f, -2f)]
    [InlineData(-1.5f, 0.25f)]
    public void AppliesAlphaAndBetaWithPaddedLeadingDimensions(float alpha, float beta)
    {
        foreach (var kind in SupportedKinds())
        foreach (var transA in new[] { Transpose.None, Transpose.Transposed })
        foreach (var transB in new[] { Transpose.None, Transpose.Transposed })
            Check(kind, transA, transB, 37, 45, 71, alpha, beta, pad: 5, seed: 11);
    }

    [Fact]
    public void ScalarPackingMatchesReferenceToo()
    {
        bool saved = GemmPacking.UseSimdTranspose;
        GemmPacking.UseSimdTranspose = false;
        try
        {
            foreach (var transA in new[] { Transpose.None, Transpose.Transposed })
            foreach (var transB in new[] { Transpose.None, Transpose.Transposed })
                Check(GemmDispatch.Best, transA, transB, 29, 41, 23, alpha: 1f, beta: 0f, pad: 2, seed: 9);
        }
        finally
        {
            GemmPacking.UseSimdTranspose = saved;
        }
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        foreach (var kind in SupportedKinds())
        {
            int m = 19, n = 40, k = 9;
            var a = Random(m * k, 1);
            var b = Random(k * n, 2);
            var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
            Run(kind, Transpose.None, Transpose.None, m, n, k, 1f, a, k, b, n, 0f, c, n);
            Assert.All(c, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void ZeroDepthOrZeroAlphaOnlyScalesC()
    {
        foreach (var kind in SupportedKinds())
        {
            var c = new float[] { 1, 2, 3, 4, 5, 6 };
            Run(kind, Transpose.None, Transpose.None, 2, 3, 0, 1f, [], 1, [], 3, 2f, c, 3);
            Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12 }, c);
            Run(kind, Transpose.None, Transpose.None, 2, 3, 1, 0f, [float.NaN, 1], 1, [1, 1, 1], 3, 0f, c, 3);
            Assert.Equal(new float[6], c);
        }
    }

    [Fact]
    public void PublicEntryPointsMatchReference()
    {
        int m = 45, n = 70, k = 33;
        var a = Random(k * m, 3); // stored (k, m): A is read transposed
        var b = Random(k * n, 4);
        var expected = new float[m * n];
        GemmReference.Multiply(Transpose.Transposed, Transpose.None, m, n, k, 1f, a, m, b, n, 0f, expected, n);

        var viaSpans = new float[m * n];
        Kernels.Gemm.Multiply(Transpose.Transposed, Transpose.None, m, n, k, 1f, a, m, b, n, 0f, viaSpans, n);
        AssertClose(expected, viaSpans, Tolerance(k, 1, 0), "span overload");

        var viaShorthand = new float[m * n];
        Kernels.Gemm.Multiply(a, b, viaShorthand, m, n, k, transA: Transpose.Transposed);
        AssertClose(expected, viaShorthand, Tolerance(k, 1, 0), "dense shorthand");

        Kernels.Gemm.Multiply(a, b, viaShorthand, m, n, k, transA: Transpose.Transposed, accumulate: true);
        AssertClose(expected.Select(x => 2 * x).ToArray(), viaShorthand, 2 * Tolerance(k, 1, 0), "accumulate");
    }

    [Fact]
    public void RejectsShortBuffersAndSmallLeadingDimensions()
    {
        var ok = new float[12];
        var e = Assert.Throws<ArgumentException>(() =>
            Kernels.Gemm.Multiply(Transpose.None, Transpose.None, 3, 4, 3, 1f, new float[8], 3, ok, 4, 0f, ok, 4));
        Assert.Equal("a", e.ParamName);
        var ld = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Kernels.Gemm.Multiply(Transpose.None, Transpose.Transposed, 3, 4, 3, 1f, ok, 3, ok, 2, 0f, ok, 4));
        Assert.Equal("ldb", ld.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Kernels.Gemm.Multiply(Transpose.None, Transpose.None, -1, 4, 3, 1f, ok, 3, ok, 4, 0f, ok, 4));
    }

    [Fact]
    public void ResultsAreBitIdenticalForOneTwoAndThreeThreads()
    {
        int saved = ComputeThreads.Count;
        try
        {
            foreach (var (ta, tb, m) in new[] { (Transpose.None, Transpose.None, 301), (Transpose.Transposed, Transpose.None, 301),
                (Transpose.None, Transpose.Transposed, 301), (Transpose.None, Transpose.None, 3), (Transpose.None, Transpose.Transposed, 2) })
            {
                int n = 1100, k = 530;
                var (ar, ac) = Stored(ta, m, k);
                var (br, bc) = Stored(tb, k, n);
                var a = Random(ar * ac, 5);
                var b = Random(br * bc, 6);
                float[]? first = null;
                foreach (int threads in new[] { 1, 2, 3 })
                {
                    ComputeThreads.Count = threads;
                    var c = Random(m * n, 7);
                    Kernels.Gemm.Multiply(ta, tb, m, n, k, 0.75f, a, ac, b, bc, 1f, c, n);
                    if (first is null)
                        first = c;
                    else
                        Assert.True(first.AsSpan().SequenceEqual(c), $"{ta}/{tb}: {threads} threads differ from 1 thread");
                }
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    private static void Check(GemmKernelKind kind, Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float beta, int pad, int seed)
    {
        var (ar, ac) = Stored(transA, m, k);
        var (br, bc) = Stored(transB, k, n);
        int lda = ac + pad, ldb = bc + pad, ldc = n + pad;
        var a = Random(ar * lda, seed);
        var b = Random(br * ldb, seed + 1);
        var expected = Random(m * ldc, seed + 2);
        var actual = (float[])expected.Clone();
        GemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        Run(kind, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc);
        // Padding columns of C (j ≥ n) must be untouched: compare the whole buffer.
        AssertClose(expected, actual, Tolerance(k, alpha, beta), $"{kind} {transA}/{transB} {m}x{n}x{k} pad {pad}");
    }

    internal static unsafe void Run(GemmKernelKind kind, Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        GemmArguments.ValidateLengths(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            GemmDispatch.Run(kind, parallel: true, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
