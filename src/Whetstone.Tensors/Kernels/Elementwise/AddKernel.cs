namespace Whetstone.Tensors.Kernels;

/// <summary>
/// y = a + b, element-wise (residual connections). All spans have the same length; y may be a or b. Large calls
/// are split over the compute threads in fixed chunks (<see cref="ParallelMap"/>); one IEEE addition per element
/// either way, so the result does not depend on the thread count.
/// </summary>
public static class AddKernel
{
    /// <summary>y = a + b.</summary>
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        ShapeCheck.SameLength(a.Length, b.Length, "a", "b");
        ShapeCheck.SameLength(a.Length, y.Length, "a", "y");
        ParallelMap.Binary(new AddOperator(), a, b, y, accumulate: false);
    }

    /// <summary>da += dy; db += dy. Either gradient may be empty when it is not wanted.</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
    {
        if (ShapeCheck.Optional(da.Length, dy.Length, nameof(da))) ParallelMap.Unary(new IdentityOperator(), dy, da, accumulate: true);
        if (ShapeCheck.Optional(db.Length, dy.Length, nameof(db))) ParallelMap.Unary(new IdentityOperator(), dy, db, accumulate: true);
    }
}
