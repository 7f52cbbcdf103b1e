namespace Whetstone.Tensors;

public sealed unsafe partial class Tensor
{
    /// <summary>A new owned tensor filled with zeros.</summary>
    /// <param name="shape">Dimensions.</param>
    public static Tensor Zeros(Shape shape)
    {
        var t = new Tensor(shape, shape.Count, pooled: false);
        t.Clear();
        return t;
    }

    /// <summary>A new owned tensor with every element equal to <paramref name="value"/>.</summary>
    /// <param name="shape">Dimensions.</param>
    /// <param name="value">Fill value.</param>
    public static Tensor Full(Shape shape, float value)
    {
        var t = new Tensor(shape, shape.Count, pooled: false);
        t.Fill(value);
        return t;
    }

    /// <summary>A new owned tensor holding a copy of <paramref name="values"/> (row-major).</summary>
    /// <param name="values">Elements; the length must equal the shape's element count.</param>
    /// <param name="shape">Dimensions.</param>
    public static Tensor FromArray(ReadOnlySpan<float> values, Shape shape)
    {
        if (values.Length != shape.Count)
            throw new ArgumentException($"{values.Length} values do not fill shape {shape} ({shape.Count} elements).", nameof(values));
        var t = new Tensor(shape, shape.Count, pooled: false);
        values.CopyTo(t.AsSpan());
        return t;
    }

    /// <summary>A new owned rank-1 tensor holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">Elements.</param>
    public static Tensor FromArray(float[] values) => FromArray(values, new Shape(values.Length));

    /// <summary>A new owned tensor of independent normal samples drawn from <paramref name="rng"/>.</summary>
    /// <param name="shape">Dimensions.</param>
    /// <param name="rng">Source of randomness; its state advances.</param>
    /// <param name="std">Standard deviation.</param>
    /// <param name="mean">Mean.</param>
    public static Tensor RandomNormal(Shape shape, Rng rng, float std = 1f, float mean = 0f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var t = new Tensor(shape, shape.Count, pooled: false);
        rng.FillNormal(t.AsSpan(), mean, std);
        return t;
    }

    /// <summary>A new owned tensor of independent samples uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="shape">Dimensions.</param>
    /// <param name="rng">Source of randomness; its state advances.</param>
    /// <param name="low">Inclusive lower bound.</param>
    /// <param name="high">Exclusive upper bound.</param>
    public static Tensor RandomUniform(Shape shape, Rng rng, float low = 0f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var t = new Tensor(shape, shape.Count, pooled: false);
        rng.FillUniform(t.AsSpan(), low, high);
        return t;
    }

    /// <summary>A new owned tensor with the same shape and values (no gradient, not a view).</summary>
    public Tensor Clone()
    {
        var t = new Tensor(Shape, Count, pooled: false) { Name = Name };
        AsSpan().CopyTo(t.AsSpan());
        return t;
    }
}
