using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>f(a, b), element by element; see <see cref="IUnaryOperator"/>.</summary>
internal interface IBinaryOperator
{
    float Invoke(float a, float b);
    Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}
