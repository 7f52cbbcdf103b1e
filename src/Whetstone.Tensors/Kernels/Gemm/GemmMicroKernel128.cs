using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// 128-bit micro-kernel (SSE, NEON): a 6×8 tile of C in 12 accumulators. Uses fused
/// multiply-add where the hardware has it (MultiplyAddEstimate), separate multiply and add otherwise.
/// </summary>
/// <remarks>Fully unrolled (rows × vectors, written out by a small generator) so every accumulator stays in a register.</remarks>
internal readonly unsafe struct GemmMicroKernel128 : IGemmMicroKernel
{
    public static int MR => 6;
    public static int NR => 8;
    public static int KC => 256;
    public static int MC => 96;
    public static int NC => 4096;
    public static bool IsSupported => Vector128.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        var c0_0 = Vector128<float>.Zero; var c0_1 = Vector128<float>.Zero;
        var c1_0 = Vector128<float>.Zero; var c1_1 = Vector128<float>.Zero;
        var c2_0 = Vector128<float>.Zero; var c2_1 = Vector128<float>.Zero;
        var c3_0 = Vector128<float>.Zero; var c3_1 = Vector128<float>.Zero;
        var c4_0 = Vector128<float>.Zero; var c4_1 = Vector128<float>.Zero;
        var c5_0 = Vector128<float>.Zero; var c5_1 = Vector128<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b + 0);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a[0]);
            c0_0 = Vector128.MultiplyAddEstimate(a0, b0, c0_0);
            c0_1 = Vector128.MultiplyAddEstimate(a0, b1, c0_1);
            var a1 = Vector128.Create(a[1]);
            c1_0 = Vector128.MultiplyAddEstimate(a1, b0, c1_0);
            c1_1 = Vector128.MultiplyAddEstimate(a1, b1, c1_1);
            var a2 = Vector128.Create(a[2]);
            c2_0 = Vector128.MultiplyAddEstimate(a2, b0, c2_0);
            c2_1 = Vector128.MultiplyAddEstimate(a2, b1, c2_1);
            var a3 = Vector128.Create(a[3]);
            c3_0 = Vector128.MultiplyAddEstimate(a3, b0, c3_0);
            c3_1 = Vector128.MultiplyAddEstimate(a3, b1, c3_1);
            var a4 = Vector128.Create(a[4]);
            c4_0 = Vector128.MultiplyAddEstimate(a4, b0, c4_0);
            c4_1 = Vector128.MultiplyAddEstimate(a4, b1, c4_1);
            var a5 = Vector128.Create(a[5]);
            c5_0 = Vector128.MultiplyAddEstimate(a5, b0, c5_0);
            c5_1 = Vector128.MultiplyAddEstimate(a5, b1, c5_1);
            a += 6;
            b += 8;
        }

        var alphaV = Vector128.Create(alpha);
        if (beta == 0f)
        {
            { float* r = c + (nint)0 * ldc; Vector128.Store(c0_0 * alphaV, r + 0); Vector128.Store(c0_1 * alphaV, r + 4); }
            { float* r = c + (nint)1 * ldc; Vector128.Store(c1_0 * alphaV, r + 0); Vector128.Store(c1_1 * alphaV, r + 4); }
            { float* r = c + (nint)2 * ldc; Vector128.Store(c2_0 * alphaV, r + 0); Vector128.Store(c2_1 * alphaV, r + 4); }
            { float* r = c + (nint)3 * ldc; Vector128.Store(c3_0 * alphaV, r + 0); Vector128.Store(c3_1 * alphaV, r + 4); }
            { float* r = c + (nint)4 * ldc; Vector128.Store(c4_0 * alphaV, r + 0); Vector128.Store(c4_1 * alphaV, r + 4); }
            { float* r = c + (nint)5 * ldc; Vector128.Store(c5_0 * alphaV, r + 0); Vector128.Store(c5_1 * alphaV, r + 4); }
        }
        else if (beta == 1f)
        {
            { float* r = c + (nint)0 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c0_0, alphaV, Vector128.Load(r + 0)), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c0_1, alphaV, Vector128.Load(r + 4)), r + 4); }
            { float* r = c + (nint)1 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c1_0, alphaV, Vector128.Load(r + 0)), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c1_1, alphaV, Vector128.Load(r + 4)), r + 4); }
            { float* r = c + (nint)2 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c2_0, alphaV, Vector128.Load(r + 0)), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c2_1, alphaV, Vector128.Load(r + 4)), r + 4); }
            { float* r = c + (nint)3 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c3_0, alphaV, Vector128.Load(r + 0)), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c3_1, alphaV, Vector128.Load(r + 4)), r + 4); }
            { float* r = c + (nint)4 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c4_0, alphaV, Vector128.Load(r + 0)), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c4_1, alphaV, Vector128.Load(r + 4)), r + 4); }
            { float* r = c + (nint)5 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c5_0, alphaV, Vector128.Load(r + 0)), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c5_1, alphaV, Vector128.Load(r + 4)), r + 4); }
        }
        else
        {
            var betaV = Vector128.Create(beta);
            { float* r = c + (nint)0 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c0_0, alphaV, Vector128.Load(r + 0) * betaV), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c0_1, alphaV, Vector128.Load(r + 4) * betaV), r + 4); }
            { float* r = c + (nint)1 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c1_0, alphaV, Vector128.Load(r + 0) * betaV), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c1_1, alphaV, Vector128.Load(r + 4) * betaV), r + 4); }
            { float* r = c + (nint)2 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c2_0, alphaV, Vector128.Load(r + 0) * betaV), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c2_1, alphaV, Vector128.Load(r + 4) * betaV), r + 4); }
            { float* r = c + (nint)3 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c3_0, alphaV, Vector128.Load(r + 0) * betaV), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c3_1, alphaV, Vector128.Load(r + 4) * betaV), r + 4); }
            { float* r = c + (nint)4 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c4_0, alphaV, Vector128.Load(r + 0) * betaV), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c4_1, alphaV, Vector128.Load(r + 4) * betaV), r + 4); }
            { float* r = c + (nint)5 * ldc; Vector128.Store(Vector128.MultiplyAddEstimate(c5_0, alphaV, Vector128.Load(r + 0) * betaV), r + 0); Vector128.Store(Vector128.MultiplyAddEstimate(c5_1, alphaV, Vector128.Load(r + 4) * betaV), r + 4); }
        }
    }
}
