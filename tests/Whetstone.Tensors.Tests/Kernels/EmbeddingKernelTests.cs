using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

public class EmbeddingKernelTests
{
    [Theory]
    [InlineData(5, 1, 1)]
    [InlineData(11, 7, 17)]
    [InlineData(50, 33, 100)]
    public void Gather_and_scatter_add_match_reference(int vocab, int n, int dim)
    {
        var table = Uniform(1, vocab * dim);
        var ids = Ids(2, n, vocab);
        var y = new float[n * dim]; var yr = new float[n * dim];
        EmbeddingKernel.Forward(table, ids, y, vocab, dim);
        EmbeddingReference.Forward(table, ids, yr, vocab, dim);
        Close(yr, y, 0, 0);

        var dy = Uniform(3, n * dim);
        var dt = Uniform(4, vocab * dim); var dtr = (float[])dt.Clone();
        EmbeddingKernel.Backward(dy, ids, dt, vocab, dim);
        EmbeddingReference.Backward(dy, ids, dtr, vocab, dim);
        Close(dtr, dt, 1e-6, 1e-6);
    }

    [Fact]
    public void Repeated_ids_sum_their_gradients()
    {
        int vocab = 4, dim = 3;
        int[] ids = [2, 0, 2, 2];
        var dy = Uniform(1, ids.Length * dim);
        var dt = new float[vocab * dim];
        EmbeddingKernel.Backward(dy, ids, dt, vocab, dim);
        for (int c = 0; c < dim; c++)
        {
            Assert.Equal(dy[0 * dim + c] + dy[2 * dim + c] + dy[3 * dim + c], dt[2 * dim + c], 6);
            Assert.Equal(dy[1 * dim + c], dt[0 * dim + c]);
            Assert.Equal(0f, dt[1 * dim + c]);
        }
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        int vocab = 6, dim = 4;
        var table = Uniform(1, vocab * dim);
        int[] ids = [1, 5, 1, 0];
        var dy = Uniform(2, ids.Length * dim);
        var y = new float[ids.Length * dim];
        var dt = new float[vocab * dim];
        EmbeddingKernel.Backward(dy, ids, dt, vocab, dim);
        Close(NumericGradient(table, () => { EmbeddingReference.Forward(table, ids, y, vocab, dim); return Dot(dy, y); }), dt, 1e-3, 1e-2);
    }

    [Fact]
    public void Out_of_range_id_names_the_id_and_the_vocabulary()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            EmbeddingKernel.Forward(new float[10 * 2], [3, 10], new float[4], 10, 2));
        Assert.Contains("10", ex.Message);
        Assert.Contains("vocabulary of size 10", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingKernel.Backward(new float[2], [-1], new float[20], 10, 2));
    }
}
