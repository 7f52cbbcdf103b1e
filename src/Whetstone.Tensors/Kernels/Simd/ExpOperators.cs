using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>exp(scale·x − shift): the softmax numerator with the row max (times scale) as shift.</summary>
internal readonly struct ScaledExpOperator(float scale, float shift) : IUnaryOperator
{
    public float Invoke(float x) => MathF.Exp(scale * x - shift);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Exp(Vector128.MultiplyAddEstimate(Vector128.Create(scale), x, Vector128.Create(-shift)));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Exp(Vector256.MultiplyAddEstimate(Vector256.Create(scale), x, Vector256.Create(-shift)));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Exp(Vector512.MultiplyAddEstimate(Vector512.Create(scale), x, Vector512.Create(-shift)));
}

/// <summary>factor·exp(x − shift): with shift = logsumexp this is factor·softmax(x).</summary>
internal readonly struct ScaledSoftmaxOperator(float shift, float factor) : IUnaryOperator
{
    public float Invoke(float x) => factor * MathF.Exp(x - shift);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Create(factor) * Vector128.Exp(x - Vector128.Create(shift));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Create(factor) * Vector256.Exp(x - Vector256.Create(shift));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(factor) * Vector512.Exp(x - Vector512.Create(shift));
}

/// <summary>exp(x − lse)·(lse − x) = −p·log p: summed over a row, the entropy, without the cancellation of lse − Σ p·x.</summary>
internal readonly struct EntropyTermOperator(float lse) : IUnaryOperator
{
    public float Invoke(float x) => MathF.Exp(x - lse) * (lse - x);
    public Vector128<float> Invoke(Vector128<float> x) { var d = Vector128.Create(lse) - x; return Vector128.Exp(-d) * d; }
    public Vector256<float> Invoke(Vector256<float> x) { var d = Vector256.Create(lse) - x; return Vector256.Exp(-d) * d; }
    public Vector512<float> Invoke(Vector512<float> x) { var d = Vector512.Create(lse) - x; return Vector512.Exp(-d) * d; }
}

/// <summary>−dH·p·(x − lse + H) with p = exp(x − lse): the entropy's gradient times the upstream dH.</summary>
internal readonly struct EntropyGradOperator(float lse, float entropy, float dEntropy) : IUnaryOperator
{
    public float Invoke(float x) { float l = x - lse; return -dEntropy * MathF.Exp(l) * (l + entropy); }
    public Vector128<float> Invoke(Vector128<float> x) { var l = x - Vector128.Create(lse); return Vector128.Create(-dEntropy) * Vector128.Exp(l) * (l + Vector128.Create(entropy)); }
    public Vector256<float> Invoke(Vector256<float> x) { var l = x - Vector256.Create(lse); return Vector256.Create(-dEntropy) * Vector256.Exp(l) * (l + Vector256.Create(entropy)); }
    public Vector512<float> Invoke(Vector512<float> x) { var l = x - Vector512.Create(lse); return Vector512.Create(-dEntropy) * Vector512.Exp(l) * (l + Vector512.Create(entropy)); }
}
