using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>
/// f(x), element by element, at every width the driver may pick. Operators are small structs; any
/// fields (a scale, a row's max) are the per-call constants, and the generic driver is specialised
/// for each struct so the calls inline.
/// </summary>
internal interface IUnaryOperator
{
    float Invoke(float x);
    Vector128<float> Invoke(Vector128<float> x);
    Vector256<float> Invoke(Vector256<float> x);
    Vector512<float> Invoke(Vector512<float> x);
}
