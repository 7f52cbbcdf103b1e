using System.Runtime.Intrinsics;

namespace Whetstone.Tensors.Kernels.Simd;

/// <summary>
/// The transcendental pieces the fused operators need, at each width. Exp is a single-precision
/// Cody–Waite range reduction with the Cephes expf polynomial (relative error about 1e-7, ~1–2 ulp):
/// the runtime's Vector*.Exp widens float to double and costs about 1.5× as much, and exp is the
/// bottleneck of softmax, cross-entropy and the activations. Sigmoid and tanh are built from it; erf
/// uses Abramowitz &amp; Stegun 7.1.26 (absolute error below 1.5e-7, enough for float32 GELU).
/// </summary>
internal static class VectorMath
{
    // Abramowitz & Stegun 7.1.26 coefficients.
    internal const float ErfP = 0.3275911f;
    internal const float ErfA1 = 0.254829592f, ErfA2 = -0.284496736f, ErfA3 = 1.421413741f, ErfA4 = -1.453152027f, ErfA5 = 1.061405429f;

    // exp: inputs are clamped to [ExpLo, ExpHi], so n is in [−126, 128]. ExpHi is float exp's overflow threshold;
    // n = 128 (x above ~88.38, true result within 1.4× of float.MaxValue) already gives +∞.
    private const float ExpLo = -87.3365478515625f, ExpHi = 88.72283935546875f;
    private const float Log2E = 1.44269504088896341f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float ExpP0 = 1.9875691500e-4f, ExpP1 = 1.3981999507e-3f, ExpP2 = 8.3334519073e-3f,
        ExpP3 = 4.1665795894e-2f, ExpP4 = 1.6666665459e-1f, ExpP5 = 5.0000001201e-1f;

    public static Vector128<float> Exp(Vector128<float> x)
    {
        // exp(x) = 2^n · e^r with n = round(x·log2 e), r = x − n·ln 2 (ln 2 split in two for accuracy).
        var t = Vector128.MinNative(Vector128.Create(ExpHi), Vector128.MaxNative(Vector128.Create(ExpLo), x)); // NaN passes through
        var n = Vector128.Round(t * Vector128.Create(Log2E));
        var r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Hi), t);
        r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Lo), r);
        var p = Vector128.MultiplyAddEstimate(Vector128.Create(ExpP0), r, Vector128.Create(ExpP1));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpP2));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpP3));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpP4));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(ExpP5));
        p = Vector128.MultiplyAddEstimate(p, r * r, r + Vector128<float>.One);
        var scale = (Vector128.ConvertToInt32Native(n) + Vector128.Create(127)) << 23;
        // Below ExpLo the true result is under the smallest normal float: return 0 so masked (−∞) logits vanish.
        return Vector128.AndNot(p * scale.AsSingle(), Vector128.LessThan(x, Vector128.Create(ExpLo)));
    }

    public static Vector256<float> Exp(Vector256<float> x)
    {
        // exp(x) = 2^n · e^r with n = round(x·log2 e), r = x − n·ln 2 (ln 2 split in two for accuracy).
        var t = Vector256.MinNative(Vector256.Create(ExpHi), Vector256.MaxNative(Vector256.Create(ExpLo), x)); // NaN passes through
        var n = Vector256.Round(t * Vector256.Create(Log2E));
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Hi), t);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.MultiplyAddEstimate(Vector256.Create(ExpP0), r, Vector256.Create(ExpP1));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpP2));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpP3));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpP4));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(ExpP5));
        p = Vector256.MultiplyAddEstimate(p, r * r, r + Vector256<float>.One);
        var scale = (Vector256.ConvertToInt32Native(n) + Vector256.Create(127)) << 23;
        // Below ExpLo the true result is under the smallest normal float: return 0 so masked (−∞) logits vanish.
        return Vector256.AndNot(p * scale.AsSingle(), Vector256.LessThan(x, Vector256.Create(ExpLo)));
    }

    public static Vector512<float> Exp(Vector512<float> x)
    {
        // exp(x) = 2^n · e^r with n = round(x·log2 e), r = x − n·ln 2 (ln 2 split in two for accuracy).
        var t = Vector512.MinNative(Vector512.Create(ExpHi), Vector512.MaxNative(Vector512.Create(ExpLo), x)); // NaN passes through
        var n = Vector512.Round(t * Vector512.Create(Log2E));
        var r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Hi), t);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.MultiplyAddEstimate(Vector512.Create(ExpP0), r, Vector512.Create(ExpP1));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpP2));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpP3));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpP4));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(ExpP5));
        p = Vector512.MultiplyAddEstimate(p, r * r, r + Vector512<float>.One);
        var scale = (Vector512.ConvertToInt32Native(n) + Vector512.Create(127)) << 23;
        // Below ExpLo the true result is under the smallest normal float: return 0 so masked (−∞) logits vanish.
        return Vector512.AndNot(p * scale.AsSingle(), Vector512.LessThan(x, Vector512.Create(ExpLo)));
    }

    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Exp(-x));
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    // tanh(u) = 1 − 2/(e^{2u}+1): saturates cleanly to ±1 when e^{2u} overflows or underflows.
    public static float Tanh(float u) => 1f - 2f / (MathF.Exp(2f * u) + 1f);
    public static Vector128<float> Tanh(Vector128<float> u)
        => Vector128<float>.One - Vector128.Create(2f) / (Exp(u + u) + Vector128<float>.One);
    public static Vector256<float> Tanh(Vector256<float> u)
        => Vector256<float>.One - Vector256.Create(2f) / (Exp(u + u) + Vector256<float>.One);
    public static Vector512<float> Tanh(Vector512<float> u)
        => Vector512<float>.One - Vector512.Create(2f) / (Exp(u + u) + Vector512<float>.One);

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
        var r = one - poly * Exp(-(ax * ax));
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
        var r = one - poly * Exp(-(ax * ax));
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
        var r = one - poly * Exp(-(ax * ax));
        return Vector512.CopySign(r, x);
    }
}
