using Whetstone.Tensors.Kernels;
using static Whetstone.Tensors.Tests.Kernels.KernelTestData;

namespace Whetstone.Tensors.Tests.Kernels;

public class RopeKernelTests
{
    private static (float[] Cos, float[] Sin) Tables(int headDim, int maxPositions, float theta = 10000f)
    {
        var inv = new float[headDim / 2];
        RopeTables.InverseFrequencies(inv, headDim, theta);
        var cos = new float[maxPositions * headDim / 2]; var sin = new float[maxPositions * headDim / 2];
        RopeTables.Build(inv, maxPositions, cos, sin);
        return (cos, sin);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(34)]
    [InlineData(64)]
    [InlineData(128)]
    public void Rope_matches_reference_and_backward_accumulates(int headDim)
    {
        int nHeads = 3; int[] positions = [5, 0, 11, 3];
        var (cos, sin) = Tables(headDim, 16);
        int n = positions.Length * nHeads * headDim;
        var x = Uniform(1, n);
        var y = new float[n]; var yr = new float[n];
        RopeKernel.Forward(x, y, positions, nHeads, headDim, cos, sin);
        RopeReference.Forward(x, yr, positions, nHeads, headDim, cos, sin);
        Close(yr, y, 1e-6, 1e-5);

        var dy = Uniform(2, n);
        var dx = Uniform(3, n); var dxr = (float[])dx.Clone();
        RopeKernel.Backward(dy, dx, positions, nHeads, headDim, cos, sin);
        RopeReference.Backward(dy, dxr, positions, nHeads, headDim, cos, sin);
        Close(dxr, dx, 1e-6, 1e-5);
    }

    [Fact]
    public void Gradient_matches_finite_differences()
    {
        int nHeads = 2, headDim = 10; int[] positions = [7, 2];
        var (cos, sin) = Tables(headDim, 8);
        var x = Uniform(1, 2 * nHeads * headDim); var dy = Uniform(2, x.Length);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        RopeKernel.Backward(dy, dx, positions, nHeads, headDim, cos, sin);
        Close(NumericGradient(x, () => { RopeReference.Forward(x, y, positions, nHeads, headDim, cos, sin); return Dot(dy, y); }), dx, 1e-3, 1e-2);
    }

    [Fact]
    public void Rotate_half_pairs_i_with_i_plus_half_and_backward_inverts_forward()
    {
        int headDim = 4; var (cos, sin) = Tables(headDim, 4);
        float[] x = [1, 2, 3, 4];
        var y = new float[4];
        RopeKernel.Forward(x, y, [3], 1, headDim, cos, sin);
        // Frequency 0 is 1 rad per position: pair (x0, x2) rotated by 3 rad.
        Assert.Equal(1 * Math.Cos(3) - 3 * Math.Sin(3), y[0], 5);
        Assert.Equal(3 * Math.Cos(3) + 1 * Math.Sin(3), y[2], 5);
        var back = new float[4];
        RopeKernel.Backward(y, back, [3], 1, headDim, cos, sin);
        Close(x, back, 1e-5, 1e-5);
    }

    [Fact]
    public void In_place_matches_out_of_place()
    {
        int nHeads = 2, headDim = 64; int[] positions = [1, 9, 4];
        var (cos, sin) = Tables(headDim, 10);
        var x = Uniform(1, positions.Length * nHeads * headDim);
        var y = new float[x.Length];
        RopeKernel.Forward(x, y, positions, nHeads, headDim, cos, sin);
        RopeKernel.Forward(x, x, positions, nHeads, headDim, cos, sin);
        BitIdentical(y, x);
    }

    [Fact]
    public void Inverse_frequencies_and_tables_follow_theta()
    {
        var inv = new float[2];
        RopeTables.InverseFrequencies(inv, 4, 10000f);
        Assert.Equal(1f, inv[0]);
        Assert.Equal(0.01f, inv[1], 6);
        var cos = new float[3 * 2]; var sin = new float[3 * 2];
        RopeTables.Build(inv, 3, cos, sin);
        Assert.Equal(Math.Cos(2.0), cos[2 * 2 + 0], 6);
        Assert.Equal(Math.Sin(0.02), sin[2 * 2 + 1], 6);
    }

    [Fact]
    public void Llama3_scaling_keeps_high_divides_low_and_blends_the_middle()
    {
        // theta chosen so frequency 1 of head_dim 4 has wavelength 4096: old/λ = 2 → smooth = (2 − 1)/(4 − 1) = 1/3,
        // scaled f = (2/3)·f/8 + (1/3)·f = (5/12)·f.
        double f = 2 * Math.PI / 4096;
        float theta = (float)(1 / (f * f));
        var scaling = new Llama3RopeScaling(8f, 1f, 4f, 8192);
        var plain = new float[2]; var scaled = new float[2];
        RopeTables.InverseFrequencies(plain, 4, theta);
        RopeTables.InverseFrequencies(scaled, 4, theta, scaling);
        Assert.Equal(plain[0], scaled[0]);                  // λ = 2π < 8192/4: kept
        Assert.Equal(plain[1] * 5.0 / 12.0, scaled[1], 8);

        // Llama 3.1 8B: theta 500000, head_dim 128; the lowest frequency (λ ≫ 8192) is divided by 8.
        var p128 = new float[64]; var s128 = new float[64];
        RopeTables.InverseFrequencies(p128, 128, 500000f);
        RopeTables.InverseFrequencies(s128, 128, 500000f, scaling);
        Assert.Equal(p128[63] / 8.0, s128[63], 10);
        Assert.Equal(p128[0], s128[0]);
        for (int i = 0; i < 64; i++) Assert.True(s128[i] <= p128[i] && s128[i] >= p128[i] / 8 * 0.999999f);
    }

    [Fact]
    public void Position_outside_the_table_throws_with_a_clear_message()
    {
        var (cos, sin) = Tables(4, 8);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => RopeKernel.Forward(new float[4], new float[4], [8], 1, 4, cos, sin));
        Assert.Contains("8 positions", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RopeKernel.Forward(new float[3], new float[3], [0], 1, 3, cos, sin));
    }
}
