using System.Numerics.Tensors;

namespace Whetstone.Tensors.Kernels;

/// <summary>
/// y = a + alpha · b (axpy as an out-of-place op), and <see cref="Accumulate"/>: y += alpha · x in place,
/// the primitive the autograd tape uses to sum gradients.
/// </summary>
public static class AddScaledKernel
{
    /// <summary>y = a + alpha · b. y may be a or b.</summary>
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float alpha, Span<float> y)
    {
        ShapeCheck.SameLength(a.Length, b.Length, "a", "b");
        ShapeCheck.SameLength(a.Length, y.Length, "a", "y");
        TensorPrimitives.MultiplyAdd(b, alpha, a, y);
    }

    /// <summary>da += dy; db += alpha · dy. Either gradient may be empty when it is not wanted.</summary>
    public static void Backward(ReadOnlySpan<float> dy, float alpha, Span<float> da, Span<float> db)
    {
        if (ShapeCheck.Optional(da.Length, dy.Length, nameof(da))) TensorPrimitives.Add(da, dy, da);
        if (ShapeCheck.Optional(db.Length, dy.Length, nameof(db))) TensorPrimitives.MultiplyAdd(dy, alpha, db, db);
    }

    /// <summary>y += alpha · x (BLAS axpy).</summary>
    public static void Accumulate(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        ShapeCheck.SameLength(x.Length, y.Length, "x", "y");
        if (alpha == 1f) TensorPrimitives.Add(y, x, y);
        else TensorPrimitives.MultiplyAdd(x, alpha, y, y);
    }
}
