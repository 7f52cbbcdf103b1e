namespace Whetstone.Tensors.Kernels;

/// <summary>Argument checks shared by the kernels; messages name the span and the shape it needed.</summary>
internal static class ShapeCheck
{
    public static void SameLength(int a, int b, string nameA, string nameB)
    {
        if (a != b)
            throw new ArgumentException($"{nameA} has {a} elements but {nameB} has {b}; they must match.");
    }

    public static void Rows(int length, int rows, int cols, string name)
    {
        if (rows < 0 || cols < 0)
            throw new ArgumentOutOfRangeException(name, $"rows ({rows}) and cols ({cols}) must not be negative.");
        if (length != (long)rows * cols)
            throw new ArgumentException($"{name} has {length} elements but shape ({rows}, {cols}) needs {(long)rows * cols}.", name);
    }

    public static void Length(int length, int expected, string name)
    {
        if (length != expected)
            throw new ArgumentException($"{name} has {length} elements but {expected} are needed.", name);
    }

    /// <summary>Gradient outputs may be empty, meaning "not wanted"; otherwise they must fit.</summary>
    public static bool Optional(int length, int expected, string name)
    {
        if (length == 0 && expected != 0)
            return false;
        Length(length, expected, name);
        return true;
    }
}
