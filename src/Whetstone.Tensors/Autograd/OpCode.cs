namespace Whetstone.Tensors.Autograd;

/// <summary>Which operation a <see cref="TapeEntry"/> recorded; the backward pass switches on it.</summary>
internal enum OpCode : byte
{
    MatMul,
    Add,
    Sub,
    Mul,
    Scale,
    AddBias,
    MulBroadcast,
    Embedding,
    RmsNorm,
    LayerNorm,
    Softmax,
    Rope,
    Silu,
    SwiGlu,
    Gelu,
    CrossEntropy,
    TokenLogProbs,
    Sum,
    Mean,
    Reshape,
    SwapAxes12,
    TransposeLast2,
    SliceLast,
    ConcatLast,
}
