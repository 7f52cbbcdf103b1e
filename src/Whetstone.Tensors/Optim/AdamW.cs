using System.Numerics;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Tensors.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter) and bias correction, updating parameters in place.
/// Per element, at step t (1-based), with learning rate lr:
/// <code>
/// p ← p·(1 − lr·wd)                        (only if the parameter applies weight decay)
/// m ← β1·m + (1 − β1)·g ;  v ← β2·v + (1 − β2)·g²
/// p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
/// </code>
/// This is the exact arrangement of PyTorch's AdamW. Parameters whose gradient is null are skipped.
/// </summary>
public sealed class AdamW
{
    private readonly ParameterSet _parameters;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;

    /// <summary>Creates the optimizer and its zeroed moment buffers (one pair per parameter).</summary>
    /// <param name="parameters">The parameters to update, in their stable order.</param>
    /// <param name="options">Hyper-parameters; null uses the defaults.</param>
    public AdamW(ParameterSet parameters, AdamWOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Options = options ?? new AdamWOptions();
        Options.Validate();
        _parameters = parameters;
        LearningRate = Options.LearningRate;
        _m = new Tensor[parameters.Count];
        _v = new Tensor[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            _m[i] = Tensor.Zeros(parameters[i].Value.Shape);
            _v[i] = Tensor.Zeros(parameters[i].Value.Shape);
        }
    }

    /// <summary>The hyper-parameters (the learning rate in use is <see cref="LearningRate"/>).</summary>
    public AdamWOptions Options { get; }

    /// <summary>Learning rate of the next <see cref="Step()"/>; set it from a <see cref="LearningRateSchedule"/>.</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of steps taken so far (t of the bias correction). Settable to restore a checkpoint.</summary>
    public long StepCount { get; set; }

    /// <summary>The parameters this optimizer updates.</summary>
    public ParameterSet Parameters => _parameters;

    /// <summary>First-moment estimate m of parameter <paramref name="index"/> (in <see cref="Parameters"/> order); writable for checkpoint restore.</summary>
    /// <param name="index">Parameter position.</param>
    public Tensor FirstMoment(int index) => _m[index];

    /// <summary>Second-moment estimate v of parameter <paramref name="index"/>; writable for checkpoint restore.</summary>
    /// <param name="index">Parameter position.</param>
    public Tensor SecondMoment(int index) => _v[index];

    /// <summary>Applies one update with <see cref="LearningRate"/> to every parameter that has a gradient.</summary>
    public void Step()
    {
        if (_parameters.Count != _m.Length)
            throw new InvalidOperationException($"The parameter set changed size ({_m.Length} → {_parameters.Count}) after the optimizer was created.");
        StepCount++;
        var o = Options;
        float bc1 = 1f - (float)Math.Pow(o.Beta1, StepCount);
        float bc2 = 1f - (float)Math.Pow(o.Beta2, StepCount);
        var k = new UpdateConstants
        {
            Beta1 = o.Beta1, Beta2 = o.Beta2, Epsilon = o.Epsilon,
            StepSize = LearningRate / bc1,
            InvSqrtBc2 = 1f / MathF.Sqrt(bc2),
        };
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            if (p.Grad is null) continue;
            float decay = p.ApplyWeightDecay ? 1f - LearningRate * o.WeightDecay : 1f;
            Update(p.Value.AsSpan(), p.Grad.AsSpan(), _m[i].AsSpan(), _v[i].AsSpan(), decay, k);
        }
    }

    /// <summary>Constants shared by every element of one step.</summary>
    internal struct UpdateConstants
    {
        public float Beta1, Beta2, Epsilon, StepSize, InvSqrtBc2;
    }

    /// <summary>The fused element-wise update: SIMD over <see cref="Vector{T}"/> lanes, then a scalar tail with the same arithmetic.</summary>
    internal static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float decay, in UpdateConstants k)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && p.Length >= Vector<float>.Count)
        {
            var b1 = new Vector<float>(k.Beta1);
            var b2 = new Vector<float>(k.Beta2);
            var ob1 = new Vector<float>(1f - k.Beta1);
            var ob2 = new Vector<float>(1f - k.Beta2);
            var eps = new Vector<float>(k.Epsilon);
            var step = new Vector<float>(k.StepSize);
            var invBc2 = new Vector<float>(k.InvSqrtBc2);
            var dec = new Vector<float>(decay);
            int last = p.Length - Vector<float>.Count;
            for (; i <= last; i += Vector<float>.Count)
            {
                var gi = new Vector<float>(g.Slice(i));
                var mi = b1 * new Vector<float>(m.Slice(i)) + ob1 * gi;
                var vi = b2 * new Vector<float>(v.Slice(i)) + ob2 * (gi * gi);
                var pi = new Vector<float>(p.Slice(i)) * dec;
                pi -= step * mi / (Vector.SquareRoot(vi) * invBc2 + eps);
                mi.CopyTo(m.Slice(i));
                vi.CopyTo(v.Slice(i));
                pi.CopyTo(p.Slice(i));
            }
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = k.Beta1 * m[i] + (1f - k.Beta1) * gi;
            float vi = k.Beta2 * v[i] + (1f - k.Beta2) * (gi * gi);
            float pi = p[i] * decay;
            pi -= k.StepSize * mi / (MathF.Sqrt(vi) * k.InvSqrtBc2 + k.Epsilon);
            m[i] = mi;
            v[i] = vi;
            p[i] = pi;
        }
    }
}
