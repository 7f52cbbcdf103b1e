namespace Whetstone.Tensors.Autograd;

public sealed partial class Tape
{
    /// <summary>Runs one entry's backward: reads Output.Grad, adds into the gradients of its inputs.</summary>
    private void BackwardEntry(ref TapeEntry e)
    {
        switch (e.Op)
        {
            case OpCode.MatMul: MatMulBackward(ref e); break;
            case OpCode.Add:
            case OpCode.Sub:
            case OpCode.Mul:
            case OpCode.Scale:
            case OpCode.AddBias:
            case OpCode.MulBroadcast: ElementwiseBackward(ref e); break;
            case OpCode.Embedding: EmbeddingBackward(ref e); break;
            case OpCode.RmsNorm: RmsNormBackward(ref e); break;
            case OpCode.LayerNorm: LayerNormBackward(ref e); break;
            case OpCode.Softmax:
            case OpCode.AttentionSoftmax: SoftmaxBackward(ref e); break;
            case OpCode.Rope: RopeBackward(ref e); break;
            case OpCode.Silu:
            case OpCode.SwiGlu:
            case OpCode.Gelu: ActivationBackward(ref e); break;
            case OpCode.Exp:
            case OpCode.LogSigmoid:
            case OpCode.AddScalar:
            case OpCode.Clamp:
            case OpCode.Minimum: PointwiseBackward(ref e); break;
            case OpCode.CrossEntropy:
            case OpCode.WeightedCrossEntropy:
            case OpCode.TokenLogProbs:
            case OpCode.Entropy: LossBackward(ref e); break;
            case OpCode.Sum:
            case OpCode.Mean:
            case OpCode.SumRows:
            case OpCode.MeanRows: ReductionBackward(ref e); break;
            case OpCode.Reshape: ReshapeBackward(ref e); break;
            case OpCode.SwapAxes12: SwapAxes12Backward(ref e); break;
            case OpCode.RepeatHeads: RepeatHeadsBackward(ref e); break;
            case OpCode.TransposeLast2: TransposeBackward(ref e); break;
            case OpCode.SliceLast: SliceBackward(ref e); break;
            case OpCode.ConcatLast: ConcatBackward(ref e); break;
            case OpCode.AddLinear: AddLinearBackward(ref e); break;
            case OpCode.CausalAttention: CausalAttentionBackward(ref e); break;
            case OpCode.LinearCrossEntropy: LinearCrossEntropyBackward(ref e); break;
            default: throw new InvalidOperationException($"No backward for op {e.Op}.");
        }
    }
}
