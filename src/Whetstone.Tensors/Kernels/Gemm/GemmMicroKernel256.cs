using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// AVX2+FMA micro-kernel: a 6×16 tile of C in 12 ymm accumulators (of 16 registers).
/// </summary>
/// <remarks>Fully unrolled (rows × vectors, written out by a small generator) so every accumulator stays in a register.</remarks>
internal readonly unsafe struct GemmMicroKernel256 : IGemmMicroKernel
{
    public static int MR => 6;
    public static int NR => 16;
    public static int KC => 256;
    public static int MC => 96;
    public static int NC => 4096;
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        var c0_0 = Vector256<float>.Zero; var c0_1 = Vector256<float>.Zero;
        var c1_0 = Vector256<float>.Zero; var c1_1 = Vector256<float>.Zero;
        var c2_0 = Vector256<float>.Zero; var c2_1 = Vector256<float>.Zero;
        var c3_0 = Vector256<float>.Zero; var c3_1 = Vector256<float>.Zero;
        var c4_0 = Vector256<float>.Zero; var c4_1 = Vector256<float>.Zero;
        var c5_0 = Vector256<float>.Zero; var c5_1 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c0_0 = Vector256.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Vector256.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector256.Create(a[1]);
            c1_0 = Vector256.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Vector256.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector256.Create(a[2]);
            c2_0 = Vector256.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Vector256.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector256.Create(a[3]);
            c3_0 = Vector256.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Vector256.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector256.Create(a[4]);
            c4_0 = Vector256.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Vector256.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector256.Create(a[5]);
            c5_0 = Vector256.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Vector256.FusedMultiplyAdd(a5, b1, c5_1);
            a += 6;
            b += 16;
        }

        var alphaV = Vector256.Create(alpha);
        if (beta == 0f)
        {
            { float* r = c + (nint)0 * ldc; Vector256.Store(c0_0 * alphaV, r + 0); Vector256.Store(c0_1 * alphaV, r + 8); }
            { float* r = c + (nint)1 * ldc; Vector256.Store(c1_0 * alphaV, r + 0); Vector256.Store(c1_1 * alphaV, r + 8); }
            { float* r = c + (nint)2 * ldc; Vector256.Store(c2_0 * alphaV, r + 0); Vector256.Store(c2_1 * alphaV, r + 8); }
            { float* r = c + (nint)3 * ldc; Vector256.Store(c3_0 * alphaV, r + 0); Vector256.Store(c3_1 * alphaV, r + 8); }
            { float* r = c + (nint)4 * ldc; Vector256.Store(c4_0 * alphaV, r + 0); Vector256.Store(c4_1 * alphaV, r + 8); }
            { float* r = c + (nint)5 * ldc; Vector256.Store(c5_0 * alphaV, r + 0); Vector256.Store(c5_1 * alphaV, r + 8); }
        }
        else if (beta == 1f)
        {
            { float* r = c + (nint)0 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c0_0, alphaV, Vector256.Load(r + 0)), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c0_1, alphaV, Vector256.Load(r + 8)), r + 8); }
            { float* r = c + (nint)1 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c1_0, alphaV, Vector256.Load(r + 0)), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c1_1, alphaV, Vector256.Load(r + 8)), r + 8); }
            { float* r = c + (nint)2 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c2_0, alphaV, Vector256.Load(r + 0)), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c2_1, alphaV, Vector256.Load(r + 8)), r + 8); }
            { float* r = c + (nint)3 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c3_0, alphaV, Vector256.Load(r + 0)), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c3_1, alphaV, Vector256.Load(r + 8)), r + 8); }
            { float* r = c + (nint)4 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c4_0, alphaV, Vector256.Load(r + 0)), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c4_1, alphaV, Vector256.Load(r + 8)), r + 8); }
            { float* r = c + (nint)5 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c5_0, alphaV, Vector256.Load(r + 0)), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c5_1, alphaV, Vector256.Load(r + 8)), r + 8); }
        }
        else
        {
            var betaV = Vector256.Create(beta);
            { float* r = c + (nint)0 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c0_0, alphaV, Vector256.Load(r + 0) * betaV), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c0_1, alphaV, Vector256.Load(r + 8) * betaV), r + 8); }
            { float* r = c + (nint)1 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c1_0, alphaV, Vector256.Load(r + 0) * betaV), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c1_1, alphaV, Vector256.Load(r + 8) * betaV), r + 8); }
            { float* r = c + (nint)2 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c2_0, alphaV, Vector256.Load(r + 0) * betaV), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c2_1, alphaV, Vector256.Load(r + 8) * betaV), r + 8); }
            { float* r = c + (nint)3 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c3_0, alphaV, Vector256.Load(r + 0) * betaV), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c3_1, alphaV, Vector256.Load(r + 8) * betaV), r + 8); }
            { float* r = c + (nint)4 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c4_0, alphaV, Vector256.Load(r + 0) * betaV), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c4_1, alphaV, Vector256.Load(r + 8) * betaV), r + 8); }
            { float* r = c + (nint)5 * ldc; Vector256.Store(Vector256.FusedMultiplyAdd(c5_0, alphaV, Vector256.Load(r + 0) * betaV), r + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c5_1, alphaV, Vector256.Load(r + 8) * betaV), r + 8); }
        }
    }
}
