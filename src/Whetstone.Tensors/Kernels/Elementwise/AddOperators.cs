using System.Runtime.Intrinsics;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>a + b, for <see cref="ParallelMap"/>.</summary>
internal readonly struct AddOperator : IBinaryOperator
{
    public float Invoke(float a, float b) => a + b;
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a + b;
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a + b;
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a + b;
}

/// <summary>x itself: with <see cref="ParallelMap.Unary"/>'s accumulate it is y += x, a gradient passed through.</summary>
internal readonly struct IdentityOperator : IUnaryOperator
{
    public float Invoke(float x) => x;
    public Vector128<float> Invoke(Vector128<float> x) => x;
    public Vector256<float> Invoke(Vector256<float> x) => x;
    public Vector512<float> Invoke(Vector512<float> x) => x;
}
