namespace Whetstone.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Index of this tensor in its tape's list of owned tensors, so the tape can hand a buffer back to its pool
    /// before <c>Reset</c> (a result's gradient, once consumed) without searching the list.
    /// </summary>
    internal int TapeSlot;
}
