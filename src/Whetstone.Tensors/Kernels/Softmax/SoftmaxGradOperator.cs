using System.Runtime.Intrinsics;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>scale·p·(dp − dot), where dot = Σ dp·p of the row: the softmax vector-Jacobian product.</summary>
internal readonly struct SoftmaxGradOperator(float dot, float scale) : IBinaryOperator
{
    public float Invoke(float p, float dp) => scale * p * (dp - dot);
    public Vector128<float> Invoke(Vector128<float> p, Vector128<float> dp) => Vector128.Create(scale) * p * (dp - Vector128.Create(dot));
    public Vector256<float> Invoke(Vector256<float> p, Vector256<float> dp) => Vector256.Create(scale) * p * (dp - Vector256.Create(dot));
    public Vector512<float> Invoke(Vector512<float> p, Vector512<float> dp) => Vector512.Create(scale) * p * (dp - Vector512.Create(dot));
}
