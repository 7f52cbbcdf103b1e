using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;
using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Tests.Optim;

/// <summary>AdamW splits large parameters over the compute threads: the result must not change by a bit.</summary>
[Collection(ComputeThreadsCollection.Name)]
public class AdamWChunkingTests
{
    [Fact]
    public void LargeParameterStepsAreBitIdenticalToTheUnsplitUpdateForAnyThreadCount()
    {
        const int n = 100_003;   // several element chunks, the last one ending in a scalar tail
        var rng = new Random(7);
        var p0 = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var grads = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
        var options = new AdamWOptions { LearningRate = 1e-2f, WeightDecay = 0.1f };

        // The unsplit update, called directly with the constants Step() computes.
        var expected = (float[])p0.Clone();
        var m = new float[n];
        var v = new float[n];
        for (int t = 1; t <= grads.Length; t++)
        {
            float bc1 = 1f - (float)Math.Pow(options.Beta1, t), bc2 = 1f - (float)Math.Pow(options.Beta2, t);
            var k = new AdamW.UpdateConstants
            {
                Beta1 = options.Beta1, Beta2 = options.Beta2, Epsilon = options.Epsilon,
                StepSize = options.LearningRate / bc1, InvSqrtBc2 = 1f / MathF.Sqrt(bc2),
            };
            AdamW.Update(expected, grads[t - 1], m, v, 1f - options.LearningRate * options.WeightDecay, k);
        }

        int saved = ComputeThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                ComputeThreads.Count = threads;
                var ps = new ParameterSet();
                var p = ps.Add("w", Tensor.FromArray((float[])p0.Clone(), new Shape(n)));
                var opt = new AdamW(ps, options);
                foreach (var g in grads)
                {
                    p.Grad = Tensor.FromArray(g, new Shape(n));
                    opt.Step();
                }
                Assert.True(expected.AsSpan().SequenceEqual(p.AsSpan()), $"{threads} threads: chunked AdamW differs from the unsplit update");
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }
}
