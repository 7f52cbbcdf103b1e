using Whetstone.Tensors.Kernels;

namespace Whetstone.Models.Configuration;

/// <summary>
/// One GEMM a training step of the tape-based transformer runs: C(m, n) = op(A)·op(B) + beta·C, done
/// <see cref="Count"/> times per step (once per layer for a block's projections). <see cref="ForStep"/> lists the
/// linear layers' GEMMs, the ones 6·N counts; attention's batched products are not among them.
/// </summary>
/// <param name="Name">Which projection and pass, e.g. "gate_proj dW".</param>
/// <param name="TransA">Whether A is read transposed.</param>
/// <param name="TransB">Whether B is read transposed.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">Reduction length.</param>
/// <param name="Beta">0 for a forward output, 1 for a gradient that accumulates.</param>
/// <param name="Count">How many times a step runs it.</param>
public sealed record TrainingGemm(string Name, Transpose TransA, Transpose TransB, int M, int N, int K, float Beta, int Count)
{
    /// <summary>FLOPs of one run: 2·m·n·k.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>FLOPs of all <see cref="Count"/> runs in a step.</summary>
    public double StepFlops => Flops * Count;

    /// <summary>
    /// The linear layers' GEMMs of one step on <paramref name="rows"/> = B·T tokens, as the tape runs them for
    /// y = x·Wᵀ with W (out, in): forward x·Wᵀ (NT), input gradient dy·W (NN), weight gradient dyᵀ·x (TN).
    /// </summary>
    /// <param name="config">The model shape.</param>
    /// <param name="rows">Tokens per step, B·T.</param>
    public static IReadOnlyList<TrainingGemm> ForStep(ModelConfig config, int rows)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        int h = config.HiddenSize, q = config.NumHeads * config.HeadDim, kv = config.NumKeyValueHeads * config.HeadDim;
        int f = config.IntermediateSize, layers = config.NumLayers;
        var list = new List<TrainingGemm>();
        void Linear(string name, int outFeatures, int inFeatures, int count)
        {
            const Transpose N = Transpose.None, T = Transpose.Transposed;
            list.Add(new TrainingGemm(name + " forward", N, T, rows, outFeatures, inFeatures, 0f, count));
            list.Add(new TrainingGemm(name + " dX", N, N, rows, inFeatures, outFeatures, 1f, count));
            list.Add(new TrainingGemm(name + " dW", T, N, outFeatures, inFeatures, rows, 1f, count));
        }
        Linear("q_proj", q, h, layers);
        Linear("k_proj", kv, h, layers);
        Linear("v_proj", kv, h, layers);
        Linear("o_proj", h, q, layers);
        Linear("gate_proj", f, h, layers);
        Linear("up_proj", f, h, layers);
        Linear("down_proj", h, f, layers);
        Linear("lm_head", config.VocabSize, h, 1);
        return list;
    }
}
