using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>
/// The transcendental pieces the fused operators need, at each width. Exp comes from the runtime
/// (Vector*.Exp, the same code TensorPrimitives uses); sigmoid and tanh are built from it; erf uses
/// Abramowitz &amp; Stegun 7.1.26 (absolute error below 1.5e-7, enough for float32 GELU).
/// </summary>
internal static class VectorMath
{
    // Abramowitz & Stegun 7.1.26 coefficients.
    internal const float ErfP = 0.3275911f;
    internal const float ErfA1 = 0.254829592f, ErfA2 = -0.284496736f, ErfA3 = 1.421413741f, ErfA4 = -1.453152027f, ErfA5 = 1.061405429f;

    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));

    // tanh(u) = 1 − 2/(e^{2u}+1): saturates cleanly to ±1 when e^{2u} overflows or underflows.
    public static float Tanh(float u) => 1f - 2f / (MathF.Exp(2f * u) + 1f);
    public static Vector128<float> Tanh(Vector128<float> u)
        => Vector128<float>.One - Vector128.Create(2f) / (Vector128.Exp(u + u) + Vector128<float>.One);
    public static Vector256<float> Tanh(Vector256<float> u)
        => Vector256<float>.One - Vector256.Create(2f) / (Vector256.Exp(u + u) + Vector256<float>.One);
    public static Vector512<float> Tanh(Vector512<float> u)
        => Vector512<float>.One - Vector512.Create(2f) / (Vector512.Exp(u + u) + Vector512<float>.One);

    public static float Erf(float x)
    {
        float ax = MathF.Abs(x);
        float t = 1f / (1f + ErfP * ax);
        float poly = ((((ErfA5 * t + ErfA4) * t + ErfA3) * t + ErfA2) * t + ErfA1) * t;
        float r = 1f - poly * MathF.Exp(-ax * ax);
        return MathF.CopySign(r, x);
    }

    public static Vector128<float> Erf(Vector128<float> x)
    {
        var ax = Vector128.Abs(x);
        var one = Vector128<float>.One;
        var t = one / Vector128.MultiplyAddEstimate(Vector128.Create(ErfP), ax, one);
        var poly = Vector128.MultiplyAddEstimate(Vector128.Create(ErfA5), t, Vector128.Create(ErfA4));
        poly = Vector128.MultiplyAddEstimate(poly, t, Vector128.Create(ErfA3));
        poly = Vector128.MultiplyAddEstimate(poly, t, Vector128.Create(ErfA2));
        poly = Vector128.MultiplyAddEstimate(poly, t, Vector128.Create(ErfA1)) * t;
        var r = one - poly * Vector128.Exp(-(ax * ax));
        return Vector128.CopySign(r, x);
    }

    public static Vector256<float> Erf(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var one = Vector256<float>.One;
        var t = one / Vector256.MultiplyAddEstimate(Vector256.Create(ErfP), ax, one);
        var poly = Vector256.MultiplyAddEstimate(Vector256.Create(ErfA5), t, Vector256.Create(ErfA4));
        poly = Vector256.MultiplyAddEstimate(poly, t, Vector256.Create(ErfA3));
        poly = Vector256.MultiplyAddEstimate(poly, t, Vector256.Create(ErfA2));
        poly = Vector256.MultiplyAddEstimate(poly, t, Vector256.Create(ErfA1)) * t;
        var r = one - poly * Vector256.Exp(-(ax * ax));
        return Vector256.CopySign(r, x);
    }

    public static Vector512<float> Erf(Vector512<float> x)
    {
        var ax = Vector512.Abs(x);
        var one = Vector512<float>.One;
        var t = one / Vector512.MultiplyAddEstimate(Vector512.Create(ErfP), ax, one);
        var poly = Vector512.MultiplyAddEstimate(Vector512.Create(ErfA5), t, Vector512.Create(ErfA4));
        poly = Vector512.MultiplyAddEstimate(poly, t, Vector512.Create(ErfA3));
        poly = Vector512.MultiplyAddEstimate(poly, t, Vector512.Create(ErfA2));
        poly = Vector512.MultiplyAddEstimate(poly, t, Vector512.Create(ErfA1)) * t;
        var r = one - poly * Vector512.Exp(-(ax * ax));
        return Vector512.CopySign(r, x);
    }
}
