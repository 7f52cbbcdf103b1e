namespace Whetstone.Tensors.Autograd;

/// <summary>
/// One recorded operation. A plain struct in a reused array: recording allocates nothing and the
/// backward pass is a switch on <see cref="Op"/>, not a chain of closures. Field meanings are per op
/// and documented next to each op's backward method.
/// </summary>
internal struct TapeEntry
{
    public OpCode Op;
    public Tensor Output;
    public Tensor? A, B, C;
    /// <summary>Tensors the forward pass saved for backward (e.g. per-row inverse std).</summary>
    public Tensor? Saved0, Saved1;
    public int I0, I1, I2, I3, I4, I5;
    public float F0, F1;
    public ReadOnlyMemory<int> Ids;
    public ReadOnlyMemory<float> Weights;
}
