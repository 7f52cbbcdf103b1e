using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>(x·r)·w: the RMSNorm output with r = 1/rms of the row (HF order: normalise, then weight).</summary>
internal readonly struct RmsNormOutputOperator(float r) : IBinaryOperator
{
    public float Invoke(float x, float w) => x * r * w;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> w) => x * Vector128.Create(r) * w;
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> w) => x * Vector256.Create(r) * w;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> w) => x * Vector512.Create(r) * w;
}

/// <summary>(x − m)²: summed, the row variance times dim (two-pass, no E[x²] − E[x]² cancellation).</summary>
internal readonly struct SquaredDeviationOperator(float m) : IUnaryOperator
{
    public float Invoke(float x) { float d = x - m; return d * d; }
    public Vector128<float> Invoke(Vector128<float> x) { var d = x - Vector128.Create(m); return d * d; }
    public Vector256<float> Invoke(Vector256<float> x) { var d = x - Vector256.Create(m); return d * d; }
    public Vector512<float> Invoke(Vector512<float> x) { var d = x - Vector512.Create(m); return d * d; }
}

/// <summary>(x − m)·r·w + b: the LayerNorm output.</summary>
internal readonly struct LayerNormOutputOperator(float m, float r) : ITernaryOperator
{
    public float Invoke(float x, float w, float b) => (x - m) * r * w + b;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> w, Vector128<float> b)
        => Vector128.MultiplyAddEstimate((x - Vector128.Create(m)) * Vector128.Create(r), w, b);
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> w, Vector256<float> b)
        => Vector256.MultiplyAddEstimate((x - Vector256.Create(m)) * Vector256.Create(r), w, b);
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> w, Vector512<float> b)
        => Vector512.MultiplyAddEstimate((x - Vector512.Create(m)) * Vector512.Create(r), w, b);
}
