using Whetstone.Tensors.Kernels;

namespace Whetstone.Tensors.Tests.Gemm;

/// <summary>Random operands and the comparison every GEMM test uses.</summary>
internal static class GemmTestData
{
    public static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    public static IEnumerable<GemmKernelKind> SupportedKinds() =>
        Enum.GetValues<GemmKernelKind>().Where(GemmDispatch.IsSupported);

    /// <summary>Stored (rows, cols) of an operand whose op() is (opRows, opCols).</summary>
    public static (int Rows, int Cols) Stored(Transpose t, int opRows, int opCols) =>
        t == Transpose.None ? (opRows, opCols) : (opCols, opRows);

    /// <summary>Error bound for entries in [-1, 1]: float rounding grows about linearly with k.</summary>
    public static float Tolerance(int k, float alpha, float beta) => 2e-6f * (k + 4) * (Math.Abs(alpha) + Math.Abs(beta) + 1);

    public static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]) && float.IsNaN(actual[i]))
                continue;
            float diff = Math.Abs(expected[i] - actual[i]);
            if (!(diff <= tolerance))
                Assert.Fail($"{what}: element {i} expected {expected[i]} got {actual[i]} (|diff| {diff} > {tolerance})");
        }
    }
}
