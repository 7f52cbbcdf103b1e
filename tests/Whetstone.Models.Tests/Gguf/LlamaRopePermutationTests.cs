using Whetstone.Models.Gguf;

namespace Whetstone.Models.Tests.Gguf;

public sealed class LlamaRopePermutationTests
{
    [Fact]
    public void Each_head_interleaves_its_two_halves()
    {
        // 2 heads of width 4, one column (a bias): head rows [0 1 2 3] become [0 2 1 3].
        float[] bias = [0, 1, 2, 3, 10, 11, 12, 13];
        Assert.Equal([0, 2, 1, 3, 10, 12, 11, 13], LlamaRopePermutation.Permute(bias, heads: 2, columns: 1));
    }

    [Fact]
    public void Rows_move_whole_and_the_inverse_restores_them()
    {
        var random = new Random(5);
        var w = Enumerable.Range(0, 3 * 8 * 5).Select(_ => (float)random.NextDouble()).ToArray(); // (3 heads · 8, 5)
        var p = LlamaRopePermutation.Permute(w, heads: 3, columns: 5);
        // Row 1 of head 2 (GGML order) came from row 4 (= d/2 + 0) of head 2 (HF order).
        Assert.Equal(w.AsSpan((2 * 8 + 4) * 5, 5).ToArray(), p.AsSpan((2 * 8 + 1) * 5, 5).ToArray());
        Assert.Equal(w, LlamaRopePermutation.Unpermute(p, heads: 3, columns: 5));
        Assert.NotEqual(w, p);
    }

    [Fact]
    public void Rotate_half_rope_on_HF_rows_equals_interleaved_rope_on_permuted_rows()
    {
        // Why the permutation exists: q = W·x rotated HF-style must equal (P·W)·x rotated GGML-style, then un-permuted.
        const int headDim = 8, columns = 6, heads = 2;
        var random = new Random(9);
        var w = Enumerable.Range(0, heads * headDim * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var x = Enumerable.Range(0, columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        const int position = 7;

        var hf = RotateHalf(MatVec(w, x, columns), heads, headDim, position);
        var ggml = Interleaved(MatVec(LlamaRopePermutation.Permute(w, heads, columns), x, columns), heads, headDim, position);
        var back = LlamaRopePermutation.Unpermute(ggml, heads, columns: 1);
        for (int i = 0; i < hf.Length; i++)
            Assert.Equal(hf[i], back[i], 5);
    }

    private static float[] MatVec(float[] w, float[] x, int columns)
    {
        var y = new float[w.Length / columns];
        for (int r = 0; r < y.Length; r++)
            for (int c = 0; c < columns; c++)
                y[r] += w[r * columns + c] * x[c];
        return y;
    }

    private static double Angle(int position, int i, int headDim) => position * Math.Pow(10000, -2.0 * i / headDim);

    // HF: dimension i pairs with i + d/2.
    private static float[] RotateHalf(float[] q, int heads, int headDim, int position)
    {
        var r = new float[q.Length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < half; i++)
            {
                int a = h * headDim + i, b = a + half;
                double cos = Math.Cos(Angle(position, i, headDim)), sin = Math.Sin(Angle(position, i, headDim));
                r[a] = (float)(q[a] * cos - q[b] * sin);
                r[b] = (float)(q[b] * cos + q[a] * sin);
            }
        return r;
    }

    // GGML's normal RoPE: dimension 2i pairs with 2i + 1.
    private static float[] Interleaved(float[] q, int heads, int headDim, int position)
    {
        var r = new float[q.Length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < headDim / 2; i++)
            {
                int a = h * headDim + 2 * i, b = a + 1;
                double cos = Math.Cos(Angle(position, i, headDim)), sin = Math.Sin(Angle(position, i, headDim));
                r[a] = (float)(q[a] * cos - q[b] * sin);
                r[b] = (float)(q[b] * cos + q[a] * sin);
            }
        return r;
    }
}
