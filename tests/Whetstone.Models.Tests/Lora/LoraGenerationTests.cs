using Whetstone.Models.Generation;
using Whetstone.Models.Lora;
using Whetstone.Models.Transformer;
using Whetstone.Tensors.Autograd;
using static Whetstone.Models.Tests.Lora.LoraFixtures;

namespace Whetstone.Models.Tests.Lora;

public class LoraGenerationTests
{
    /// <summary>The tape's log-probabilities of <paramref name="tokens"/> (positions ≥ <paramref name="promptLength"/>) under the current model.</summary>
    private static float[] TapeLogProbs(TransformerModel model, int[] tokens, int promptLength)
    {
        using var tape = new Tape();
        using var _ = tape.NoGrad();
        var logits = model.Forward(tape, tokens, 1, tokens.Length);
        var lp = CausalLmLoss.NextTokenLogProbs(tape, logits, tokens).ToArray();   // lp[t] = log p(tokens[t+1] | ≤ t)
        return lp[(promptLength - 1)..^1];
    }

    [Fact]
    public void Generation_with_adapters_scores_its_tokens_like_the_tape_and_disabled_generation_is_the_base_model()
    {
        var (model, ids) = TinyModel("qwen2");
        using var _m = model;
        var prompt = ids[..4];
        var greedy = SamplingOptions.Greedy(maxNewTokens: 6) with { StopTokenIds = [] };
        GenerationResult Generate()
        {
            using var gen = new Generator(model);
            return gen.Generate([new GenerationRequest(prompt, greedy)])[0];
        }
        var baseline = Generate();

        using var lora = LoraModel.Attach(model, AllTargets(dropout: 0.2f));
        RandomizeB(lora, 41, std: 0.5f);
        lora.Training = false;
        var adapted = Generate();
        Assert.Equal(6, adapted.Tokens.Count);
        var sequence = prompt.Concat(adapted.Tokens).ToArray();
        var tape = TapeLogProbs(model, sequence, prompt.Length);
        for (int i = 0; i < adapted.Tokens.Count; i++)
            Assert.True(Math.Abs(tape[i] - adapted.LogProbs[i]) <= 1e-4f, $"token {i}: tape {tape[i]}, generator {adapted.LogProbs[i]}");
        Assert.True(MaxAbsDiff(baseline.LogProbs.ToArray(), adapted.LogProbs.ToArray()) > 1e-3f
                    || !baseline.Tokens.SequenceEqual(adapted.Tokens), "the adapter should change generation");

        using (lora.DisableAdapters())
        {
            var reference = Generate();
            Assert.Equal(baseline.Tokens, reference.Tokens);
            Assert.Equal(baseline.LogProbs, reference.LogProbs);
        }
    }
}
