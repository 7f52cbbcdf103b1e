using Whetstone.Models.Lora;
using Whetstone.Tensors;

namespace Whetstone.Models.Tests.Lora;

public class LoraDeltaTests
{
    [Theory]
    [InlineData(1, 16, 24, 4)]
    [InlineData(5, 33, 7, 3)]
    [InlineData(32, 20, 40, 8)]
    [InlineData(33, 20, 40, 8)]      // first row count on the GEMM path
    [InlineData(70, 65, 31, 16)]
    public void The_dot_and_gemm_paths_match_the_reference(int rows, int k, int n, int r)
    {
        var rng = new Rng((ulong)(rows * 1000 + k));
        float[] Random(int count)
        {
            var v = new float[count];
            rng.FillNormal(v);
            return v;
        }
        var x = Random(rows * k);
        var a = Random(r * k);
        var b = Random(n * r);
        var start = Random(rows * n);
        var expected = (float[])start.Clone();
        LoraDelta.AddReference(x, a, b, 0.75f, expected, rows, k, n, r);
        var actual = (float[])start.Clone();
        LoraDelta.Add(x, a, b, 0.75f, actual, rows, k, n, r, new float[rows * r]);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"[{i}] {expected[i]} vs {actual[i]}");
    }
}
