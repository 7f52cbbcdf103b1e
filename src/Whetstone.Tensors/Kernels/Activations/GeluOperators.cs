using System.Runtime.Intrinsics;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>Constants of the two GELU forms.</summary>
internal static class GeluConstants
{
    public const float Sqrt2OverPi = 0.7978845608028654f;   // √(2/π)
    public const float Cubic = 0.044715f;
    public const float InvSqrt2 = 0.7071067811865476f;     // 1/√2
    public const float InvSqrt2Pi = 0.3989422804014327f;   // 1/√(2π)
}

/// <summary>GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
internal readonly struct GeluTanhOperator : IUnaryOperator
{
    public float Invoke(float x) => 0.5f * x * (1f + VectorMath.Tanh(GeluConstants.Sqrt2OverPi * (x + GeluConstants.Cubic * x * x * x)));
    public Vector128<float> Invoke(Vector128<float> x)
        => Vector128.Create(0.5f) * x * (Vector128<float>.One + VectorMath.Tanh(Vector128.Create(GeluConstants.Sqrt2OverPi) * Vector128.MultiplyAddEstimate(Vector128.Create(GeluConstants.Cubic) * x * x, x, x)));
    public Vector256<float> Invoke(Vector256<float> x)
        => Vector256.Create(0.5f) * x * (Vector256<float>.One + VectorMath.Tanh(Vector256.Create(GeluConstants.Sqrt2OverPi) * Vector256.MultiplyAddEstimate(Vector256.Create(GeluConstants.Cubic) * x * x, x, x)));
    public Vector512<float> Invoke(Vector512<float> x)
        => Vector512.Create(0.5f) * x * (Vector512<float>.One + VectorMath.Tanh(Vector512.Create(GeluConstants.Sqrt2OverPi) * Vector512.MultiplyAddEstimate(Vector512.Create(GeluConstants.Cubic) * x * x, x, x)));
}

/// <summary>dy·gelu_tanh'(x) = dy·(0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²)).</summary>
internal readonly struct GeluTanhGradOperator : IBinaryOperator
{
    public float Invoke(float x, float dy)
    {
        float t = VectorMath.Tanh(GeluConstants.Sqrt2OverPi * (x + GeluConstants.Cubic * x * x * x));
        float du = GeluConstants.Sqrt2OverPi * (1f + 3f * GeluConstants.Cubic * x * x);
        return dy * (0.5f * (1f + t) + 0.5f * x * (1f - t * t) * du);
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        var half = Vector128.Create(0.5f); var one = Vector128<float>.One; var k = Vector128.Create(GeluConstants.Sqrt2OverPi);
        var x2 = x * x;
        var t = VectorMath.Tanh(k * Vector128.MultiplyAddEstimate(Vector128.Create(GeluConstants.Cubic) * x2, x, x));
        var du = k * Vector128.MultiplyAddEstimate(Vector128.Create(3f * GeluConstants.Cubic), x2, one);
        return dy * (half * (one + t) + half * x * (one - t * t) * du);
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        var half = Vector256.Create(0.5f); var one = Vector256<float>.One; var k = Vector256.Create(GeluConstants.Sqrt2OverPi);
        var x2 = x * x;
        var t = VectorMath.Tanh(k * Vector256.MultiplyAddEstimate(Vector256.Create(GeluConstants.Cubic) * x2, x, x));
        var du = k * Vector256.MultiplyAddEstimate(Vector256.Create(3f * GeluConstants.Cubic), x2, one);
        return dy * (half * (one + t) + half * x * (one - t * t) * du);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        var half = Vector512.Create(0.5f); var one = Vector512<float>.One; var k = Vector512.Create(GeluConstants.Sqrt2OverPi);
        var x2 = x * x;
        var t = VectorMath.Tanh(k * Vector512.MultiplyAddEstimate(Vector512.Create(GeluConstants.Cubic) * x2, x, x));
        var du = k * Vector512.MultiplyAddEstimate(Vector512.Create(3f * GeluConstants.Cubic), x2, one);
        return dy * (half * (one + t) + half * x * (one - t * t) * du);
    }
}

/// <summary>GELU, exact form: 0.5·x·(1 + erf(x/√2)).</summary>
internal readonly struct GeluErfOperator : IUnaryOperator
{
    public float Invoke(float x) => 0.5f * x * (1f + VectorMath.Erf(x * GeluConstants.InvSqrt2));
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Create(0.5f) * x * (Vector128<float>.One + VectorMath.Erf(x * Vector128.Create(GeluConstants.InvSqrt2)));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Create(0.5f) * x * (Vector256<float>.One + VectorMath.Erf(x * Vector256.Create(GeluConstants.InvSqrt2)));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(0.5f) * x * (Vector512<float>.One + VectorMath.Erf(x * Vector512.Create(GeluConstants.InvSqrt2)));
}

/// <summary>dy·gelu'(x) = dy·(Φ(x) + x·φ(x)), Φ(x) = 0.5·(1 + erf(x/√2)), φ(x) = exp(−x²/2)/√(2π).</summary>
internal readonly struct GeluErfGradOperator : IBinaryOperator
{
    public float Invoke(float x, float dy)
        => dy * (0.5f * (1f + VectorMath.Erf(x * GeluConstants.InvSqrt2)) + x * GeluConstants.InvSqrt2Pi * MathF.Exp(-0.5f * x * x));
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        => dy * (Vector128.Create(0.5f) * (Vector128<float>.One + VectorMath.Erf(x * Vector128.Create(GeluConstants.InvSqrt2)))
                 + x * Vector128.Create(GeluConstants.InvSqrt2Pi) * Vector128.Exp(Vector128.Create(-0.5f) * x * x));
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        => dy * (Vector256.Create(0.5f) * (Vector256<float>.One + VectorMath.Erf(x * Vector256.Create(GeluConstants.InvSqrt2)))
                 + x * Vector256.Create(GeluConstants.InvSqrt2Pi) * Vector256.Exp(Vector256.Create(-0.5f) * x * x));
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        => dy * (Vector512.Create(0.5f) * (Vector512<float>.One + VectorMath.Erf(x * Vector512.Create(GeluConstants.InvSqrt2)))
                 + x * Vector512.Create(GeluConstants.InvSqrt2Pi) * Vector512.Exp(Vector512.Create(-0.5f) * x * x));
}
