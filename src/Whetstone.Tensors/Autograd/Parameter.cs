namespace Whetstone.Tensors.Autograd;

/// <summary>A named trainable tensor. Its gradient lives in <see cref="Value"/>.<see cref="Tensor.Grad"/>.</summary>
public sealed class Parameter
{
    internal Parameter(string name, Tensor value, bool applyWeightDecay)
    {
        Name = name;
        Value = value;
        ApplyWeightDecay = applyWeightDecay;
    }

    /// <summary>Stable name, e.g. "layers.0.attn.q_proj.weight"; checkpoints key on it.</summary>
    public string Name { get; }

    /// <summary>The weights (owned by the caller, <see cref="Tensor.RequiresGrad"/> set).</summary>
    public Tensor Value { get; }

    /// <summary>The accumulated gradient, or null before the first backward pass reaches it.</summary>
    public Tensor? Grad => Value.Grad;

    /// <summary>Whether decoupled weight decay applies (conventionally false for biases and norm gains).</summary>
    public bool ApplyWeightDecay { get; }

    /// <summary>Name and shape, e.g. "w1 (16, 8)".</summary>
    public override string ToString() => $"{Name} {Value.Shape}";
}
