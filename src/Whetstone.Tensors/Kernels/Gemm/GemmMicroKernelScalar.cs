using System.Runtime.CompilerServices;
namespace Whetstone.Tensors.Kernels;

/// <summary>Portable scalar micro-kernel (4×4 tile) for machines without usable SIMD.</summary>
internal readonly unsafe struct GemmMicroKernelScalar : IGemmMicroKernel
{
    public static int MR => 4;
    public static int NR => 4;
    public static int KC => 256;
    public static int MC => 64;
    public static int NC => 1024;
    public static bool IsSupported => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        float* acc = stackalloc float[16];
        for (int t = 0; t < 16; t++)
            acc[t] = 0f;
        for (int p = 0; p < kc; p++, a += 4, b += 4)
        {
            for (int i = 0; i < 4; i++)
            {
                float ai = a[i];
                for (int j = 0; j < 4; j++)
                    acc[i * 4 + j] = float.MultiplyAddEstimate(ai, b[j], acc[i * 4 + j]);
            }
        }
        GemmTileStore.Store(acc, 4, 4, 4, c, ldc, alpha, beta);
    }
}
