using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// AVX-512 micro-kernel: a 12×32 tile of C held in 24 zmm accumulators. Per k step it loads
/// two 16-float vectors of the packed B sliver and broadcasts each of the MR packed A values.
/// </summary>
/// <remarks>Fully unrolled (rows × vectors, written out by a small generator) so every accumulator stays in a register.</remarks>
internal readonly unsafe struct GemmMicroKernel512 : IGemmMicroKernel
{
    public static int MR => 12;
    public static int NR => 32;
    public static int KC => 256;
    public static int MC => 192;
    public static int NC => 4096;
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        var c0_0 = Vector512<float>.Zero; var c0_1 = Vector512<float>.Zero;
        var c1_0 = Vector512<float>.Zero; var c1_1 = Vector512<float>.Zero;
        var c2_0 = Vector512<float>.Zero; var c2_1 = Vector512<float>.Zero;
        var c3_0 = Vector512<float>.Zero; var c3_1 = Vector512<float>.Zero;
        var c4_0 = Vector512<float>.Zero; var c4_1 = Vector512<float>.Zero;
        var c5_0 = Vector512<float>.Zero; var c5_1 = Vector512<float>.Zero;
        var c6_0 = Vector512<float>.Zero; var c6_1 = Vector512<float>.Zero;
        var c7_0 = Vector512<float>.Zero; var c7_1 = Vector512<float>.Zero;
        var c8_0 = Vector512<float>.Zero; var c8_1 = Vector512<float>.Zero;
        var c9_0 = Vector512<float>.Zero; var c9_1 = Vector512<float>.Zero;
        var c10_0 = Vector512<float>.Zero; var c10_1 = Vector512<float>.Zero;
        var c11_0 = Vector512<float>.Zero; var c11_1 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector512.Create(a[1]);
            c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector512.Create(a[2]);
            c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector512.Create(a[3]);
            c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector512.Create(a[4]);
            c4_0 = Vector512.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Vector512.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector512.Create(a[5]);
            c5_0 = Vector512.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Vector512.FusedMultiplyAdd(a5, b1, c5_1);
            var a6 = Vector512.Create(a[6]);
            c6_0 = Vector512.FusedMultiplyAdd(a6, b0, c6_0);
            c6_1 = Vector512.FusedMultiplyAdd(a6, b1, c6_1);
            var a7 = Vector512.Create(a[7]);
            c7_0 = Vector512.FusedMultiplyAdd(a7, b0, c7_0);
            c7_1 = Vector512.FusedMultiplyAdd(a7, b1, c7_1);
            var a8 = Vector512.Create(a[8]);
            c8_0 = Vector512.FusedMultiplyAdd(a8, b0, c8_0);
            c8_1 = Vector512.FusedMultiplyAdd(a8, b1, c8_1);
            var a9 = Vector512.Create(a[9]);
            c9_0 = Vector512.FusedMultiplyAdd(a9, b0, c9_0);
            c9_1 = Vector512.FusedMultiplyAdd(a9, b1, c9_1);
            var a10 = Vector512.Create(a[10]);
            c10_0 = Vector512.FusedMultiplyAdd(a10, b0, c10_0);
            c10_1 = Vector512.FusedMultiplyAdd(a10, b1, c10_1);
            var a11 = Vector512.Create(a[11]);
            c11_0 = Vector512.FusedMultiplyAdd(a11, b0, c11_0);
            c11_1 = Vector512.FusedMultiplyAdd(a11, b1, c11_1);
            a += 12;
            b += 32;
        }

        var alphaV = Vector512.Create(alpha);
        if (beta == 0f)
        {
            { float* r = c + (nint)0 * ldc; Vector512.Store(c0_0 * alphaV, r + 0); Vector512.Store(c0_1 * alphaV, r + 16); }
            { float* r = c + (nint)1 * ldc; Vector512.Store(c1_0 * alphaV, r + 0); Vector512.Store(c1_1 * alphaV, r + 16); }
            { float* r = c + (nint)2 * ldc; Vector512.Store(c2_0 * alphaV, r + 0); Vector512.Store(c2_1 * alphaV, r + 16); }
            { float* r = c + (nint)3 * ldc; Vector512.Store(c3_0 * alphaV, r + 0); Vector512.Store(c3_1 * alphaV, r + 16); }
            { float* r = c + (nint)4 * ldc; Vector512.Store(c4_0 * alphaV, r + 0); Vector512.Store(c4_1 * alphaV, r + 16); }
            { float* r = c + (nint)5 * ldc; Vector512.Store(c5_0 * alphaV, r + 0); Vector512.Store(c5_1 * alphaV, r + 16); }
            { float* r = c + (nint)6 * ldc; Vector512.Store(c6_0 * alphaV, r + 0); Vector512.Store(c6_1 * alphaV, r + 16); }
            { float* r = c + (nint)7 * ldc; Vector512.Store(c7_0 * alphaV, r + 0); Vector512.Store(c7_1 * alphaV, r + 16); }
            { float* r = c + (nint)8 * ldc; Vector512.Store(c8_0 * alphaV, r + 0); Vector512.Store(c8_1 * alphaV, r + 16); }
            { float* r = c + (nint)9 * ldc; Vector512.Store(c9_0 * alphaV, r + 0); Vector512.Store(c9_1 * alphaV, r + 16); }
            { float* r = c + (nint)10 * ldc; Vector512.Store(c10_0 * alphaV, r + 0); Vector512.Store(c10_1 * alphaV, r + 16); }
            { float* r = c + (nint)11 * ldc; Vector512.Store(c11_0 * alphaV, r + 0); Vector512.Store(c11_1 * alphaV, r + 16); }
        }
        else if (beta == 1f)
        {
            { float* r = c + (nint)0 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)1 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)2 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)3 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)4 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)5 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)6 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)7 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)8 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c8_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c8_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)9 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c9_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c9_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)10 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c10_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c10_1, alphaV, Vector512.Load(r + 16)), r + 16); }
            { float* r = c + (nint)11 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c11_0, alphaV, Vector512.Load(r + 0)), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c11_1, alphaV, Vector512.Load(r + 16)), r + 16); }
        }
        else
        {
            var betaV = Vector512.Create(beta);
            { float* r = c + (nint)0 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)1 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)2 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)3 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)4 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)5 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)6 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)7 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)8 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c8_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c8_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)9 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c9_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c9_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)10 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c10_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c10_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
            { float* r = c + (nint)11 * ldc; Vector512.Store(Vector512.FusedMultiplyAdd(c11_0, alphaV, Vector512.Load(r + 0) * betaV), r + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c11_1, alphaV, Vector512.Load(r + 16) * betaV), r + 16); }
        }
    }
}
