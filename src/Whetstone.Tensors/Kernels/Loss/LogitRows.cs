namespace Whetstone.Tensors.Kernels;

/// <summary>Checks shared by the kernels over rows of logits (rows, vocab) with one target id per row.</summary>
internal static class LogitRows
{
    public static void Check(int logitsLength, int targetsLength, int rows, int vocab)
    {
        if (vocab <= 0) throw new ArgumentOutOfRangeException(nameof(vocab), vocab, "The vocabulary size must be positive.");
        ShapeCheck.Rows(logitsLength, rows, vocab, "logits");
        ShapeCheck.Length(targetsLength, rows, "targets");
    }

    /// <summary>Returns false for an ignored row; throws for a target outside [0, vocab).</summary>
    public static bool Target(ReadOnlySpan<int> targets, int row, int vocab, int ignoreIndex, out int target)
    {
        target = targets[row];
        if (target == ignoreIndex) return false;
        if ((uint)target >= (uint)vocab)
            throw new ArgumentOutOfRangeException(nameof(targets), target,
                $"Target id {target} at row {row} is outside the vocabulary of size {vocab} (and is not the ignore index {ignoreIndex}).");
        return true;
    }
}
