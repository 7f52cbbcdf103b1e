using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Kernels;

namespace Whetstone.Models.Tests.Configuration;

public sealed class TrainingFlopsTests
{
    [Fact]
    public void TheBenchmarkModelHasNineteenMillionParametersCountedByHand()
    {
        var c = ModelShapes.Qwen3Style20M();
        long embedding = 16384L * 384;
        long attention = 384L * 384 + 2 * 384L * 128 + 384L * 384;   // q, k, v (2 KV heads of 64), o
        long mlp = 3L * 384 * 1536;
        long norms = 2 * 64 + 2 * 384;                                 // q/k norms, the two block norms
        long expected = embedding + 6 * (attention + mlp + norms) + 384;   // tied lm_head adds nothing; final norm
        Assert.Equal(19_273_344, expected);
        Assert.Equal(expected, c.ParameterCount());
        Assert.Equal(embedding, TrainingFlops.EmbeddingParameters(c));
        Assert.Equal(expected - embedding, TrainingFlops.NonEmbeddingParameters(c));
        using var model = TransformerModel.Create(c, seed: 0);
        Assert.Equal(expected, model.Parameters.ElementCount);
    }

    [Fact]
    public void SixNMatchesTheLinearGemmsOfAStepUpToTheNormGains()
    {
        // Every weight matrix does one forward and two backward GEMMs per token: the GEMM list of a step must add up
        // to 6·(N − norm gains)·tokens exactly, and the lm_head's three GEMMs are the tied embedding's share.
        foreach (var c in new[] { ModelShapes.Qwen3Style20M(), ModelShapes.Qwen2_5_0_5B() })
        {
            int rows = 8 * 256;
            long norms = c.NumLayers * (2L * c.HiddenSize + (c.QkNorm ? 2L * c.HeadDim : 0)) + c.HiddenSize;
            long biases = c.AttentionBias ? c.NumLayers * ((long)c.NumHeads * c.HeadDim + 2L * c.NumKeyValueHeads * c.HeadDim) : 0;
            var gemms = TrainingGemm.ForStep(c, rows);
            double total = gemms.Sum(g => g.StepFlops);
            Assert.Equal(6.0 * (c.ParameterCount() - norms - biases) * rows, total);
            Assert.Equal(TrainingFlops.PerToken(c), 6.0 * c.ParameterCount());
            var lmHead = gemms.Where(g => g.Name.StartsWith("lm_head", StringComparison.Ordinal)).Sum(g => g.StepFlops);
            Assert.Equal(6.0 * TrainingFlops.EmbeddingParameters(c) * rows, lmHead);
        }
    }

    [Fact]
    public void GemmsAreTheTapesLinearForms()
    {
        var gemms = TrainingGemm.ForStep(ModelShapes.Qwen3Style20M(), 2048);
        var gate = gemms.Where(g => g.Name.StartsWith("gate_proj", StringComparison.Ordinal)).ToList();
        Assert.Equal(new TrainingGemm("gate_proj forward", Transpose.None, Transpose.Transposed, 2048, 1536, 384, 0f, 6), gate[0]);
        Assert.Equal(new TrainingGemm("gate_proj dX", Transpose.None, Transpose.None, 2048, 384, 1536, 1f, 6), gate[1]);
        Assert.Equal(new TrainingGemm("gate_proj dW", Transpose.Transposed, Transpose.None, 1536, 384, 2048, 1f, 6), gate[2]);
        Assert.Equal(24, gemms.Count);   // 7 projections + lm_head, 3 GEMMs each
    }

    [Fact]
    public void AttentionTermAndUtilisationFollowThePalmFormula()
    {
        var c = ModelShapes.Qwen3Style20M();
        Assert.Equal(12.0 * 6 * 6 * 64 * 256, TrainingFlops.AttentionPerToken(c, 256));
        // 115.64 MFLOP/token at 1000 tokens/s is 115.64 GFLOP/s: 50% of a 231.28 GFLOP/s GEMM.
        double perToken = TrainingFlops.PerToken(c);
        Assert.Equal(0.5, TrainingFlops.Utilisation(perToken, 1000, 2 * perToken * 1000), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingFlops.Utilisation(perToken, 1000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingFlops.AttentionPerToken(c, 0));
    }
}
