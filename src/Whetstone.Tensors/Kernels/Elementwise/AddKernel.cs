using System.Numerics.Tensors;

namespace Whetstone.Tensors.Kernels;

/// <summary>y = a + b, element-wise. All spans have the same length; y may be a or b.</summary>
public static class AddKernel
{
    /// <summary>y = a + b.</summary>
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        ShapeCheck.SameLength(a.Length, b.Length, "a", "b");
        ShapeCheck.SameLength(a.Length, y.Length, "a", "y");
        TensorPrimitives.Add(a, b, y);
    }

    /// <summary>da += dy; db += dy. Either gradient may be empty when it is not wanted.</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        if (ShapeCheck.Optional(da.Length, dy.Length, nameof(da))) TensorPrimitives.Add(da, dy, da);
        if (ShapeCheck.Optional(db.Length, dy.Length, nameof(db))) TensorPrimitives.Add(db, dy, db);
    }
}
