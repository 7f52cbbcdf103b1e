using Whetstone.Tensors.Kernels;
using Whetstone.Tensors.Threading;
using static Whetstone.Tensors.Tests.Gemm.GemmTestData;

namespace Whetstone.Tensors.Tests.Gemm;

[Collection(ComputeThreadsCollection.Name)]
public class GemmBatchedTests
{
    [Theory]
    [InlineData(6, 17, 17, 8, Transpose.None, Transpose.Transposed)]   // attention scores: Q·Kᵀ per head
    [InlineData(6, 17, 8, 17, Transpose.None, Transpose.None)]         // attention output: P·V per head
    [InlineData(3, 130, 90, 70, Transpose.Transposed, Transpose.None)]  // large enough to parallelise inside
    public void MatchesReferencePerBatchEntry(int batch, int m, int n, int k, Transpose transA, Transpose transB)
    {
        var (ar, ac) = Stored(transA, m, k);
        var (br, bc) = Stored(transB, k, n);
        long strideA = ar * ac + 3, strideB = br * bc + 1, strideC = m * n + 2;
        var a = Random((int)(strideA * batch), 1);
        var b = Random((int)(strideB * batch), 2);
        var expected = Random((int)(strideC * batch), 3);
        var actual = (float[])expected.Clone();
        for (int i = 0; i < batch; i++)
            GemmReference.Multiply(transA, transB, m, n, k, 0.5f,
                a.AsSpan((int)(i * strideA)), ac, b.AsSpan((int)(i * strideB)), bc, 1f,
                expected.AsSpan((int)(i * strideC)), n);
        Kernels.Gemm.MultiplyBatched(batch, transA, transB, m, n, k, 0.5f, a, ac, strideA, b, bc, strideB, 1f, actual, n, strideC);
        AssertClose(expected, actual, Tolerance(k, 0.5f, 1f), "batched");
    }

    [Fact]
    public void ZeroStrideReusesOneMatrixAndResultsDoNotDependOnThreads()
    {
        int batch = 5, m = 20, n = 24, k = 16;
        var a = Random(batch * m * k, 4);
        var w = Random(k * n, 5); // one shared B
        int saved = ComputeThreads.Count;
        try
        {
            float[]? first = null;
            foreach (int threads in new[] { 1, 2, 3 })
            {
                ComputeThreads.Count = threads;
                var c = new float[batch * m * n];
                Kernels.Gemm.MultiplyBatched(batch, Transpose.None, Transpose.None, m, n, k, 1f, a, k, m * k, w, n, 0, 0f, c, n, m * n);
                if (first is null)
                {
                    first = c;
                    var expected = new float[batch * m * n];
                    for (int i = 0; i < batch; i++)
                        GemmReference.Multiply(Transpose.None, Transpose.None, m, n, k, 1f, a.AsSpan(i * m * k), k, w, n, 0f, expected.AsSpan(i * m * n), n);
                    AssertClose(expected, c, Tolerance(k, 1, 0), "shared B");
                }
                else
                {
                    Assert.True(first.AsSpan().SequenceEqual(c), $"{threads} threads differ from 1");
                }
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public void RejectsBufferTooShortForTheLastBatchEntry()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Kernels.Gemm.MultiplyBatched(3, Transpose.None, Transpose.None, 2, 2, 2, 1f,
                new float[12], 2, 4, new float[12], 2, 4, 0f, new float[11], 2, 4));
        Assert.Equal("c", e.ParamName);
    }
}
