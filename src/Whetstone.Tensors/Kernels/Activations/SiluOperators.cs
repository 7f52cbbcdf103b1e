using System.Runtime.Intrinsics;
using Whetstone.Tensors.Kernels.Simd;

namespace Whetstone.Tensors.Kernels;

/// <summary>silu(x) = x·σ(x).</summary>
internal readonly struct SiluOperator : IUnaryOperator
{
    public float Invoke(float x) => x * VectorMath.Sigmoid(x);
    public Vector128<float> Invoke(Vector128<float> x) => x * VectorMath.Sigmoid(x);
    public Vector256<float> Invoke(Vector256<float> x) => x * VectorMath.Sigmoid(x);
    public Vector512<float> Invoke(Vector512<float> x) => x * VectorMath.Sigmoid(x);
}

/// <summary>dy·silu'(x) with silu'(x) = σ(x)·(1 + x·(1 − σ(x))).</summary>
internal readonly struct SiluGradOperator : IBinaryOperator
{
    public float Invoke(float x, float dy)
    {
        float s = VectorMath.Sigmoid(x);
        return dy * s * (1f + x * (1f - s));
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        var s = VectorMath.Sigmoid(x);
        return dy * s * Vector128.MultiplyAddEstimate(x, Vector128<float>.One - s, Vector128<float>.One);
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        var s = VectorMath.Sigmoid(x);
        return dy * s * Vector256.MultiplyAddEstimate(x, Vector256<float>.One - s, Vector256<float>.One);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        var s = VectorMath.Sigmoid(x);
        return dy * s * Vector512.MultiplyAddEstimate(x, Vector512<float>.One - s, Vector512<float>.One);
    }
}

/// <summary>silu(gate)·up: the SwiGLU product.</summary>
internal readonly struct SwiGluOperator : IBinaryOperator
{
    public float Invoke(float g, float u) => g * VectorMath.Sigmoid(g) * u;
    public Vector128<float> Invoke(Vector128<float> g, Vector128<float> u) => g * VectorMath.Sigmoid(g) * u;
    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> u) => g * VectorMath.Sigmoid(g) * u;
    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> u) => g * VectorMath.Sigmoid(g) * u;
}

/// <summary>dy·up·silu'(gate): the SwiGLU gate gradient.</summary>
internal readonly struct SwiGluGateGradOperator : ITernaryOperator
{
    public float Invoke(float g, float u, float dy) => new SiluGradOperator().Invoke(g, dy * u);
    public Vector128<float> Invoke(Vector128<float> g, Vector128<float> u, Vector128<float> dy) => new SiluGradOperator().Invoke(g, dy * u);
    public Vector256<float> Invoke(Vector256<float> g, Vector256<float> u, Vector256<float> dy) => new SiluGradOperator().Invoke(g, dy * u);
    public Vector512<float> Invoke(Vector512<float> g, Vector512<float> u, Vector512<float> dy) => new SiluGradOperator().Invoke(g, dy * u);
}
