using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Tests.Autograd;

/// <summary>Fused attention runs heads in parallel; its output and gradients must not depend on the thread count.</summary>
[Collection(ComputeThreadsCollection.Name)]
public class CausalAttentionThreadTests
{
    [Fact]
    public void Output_and_gradients_are_bit_identical_for_one_and_several_threads()
    {
        int saved = ComputeThreads.Count;
        try
        {
            ComputeThreads.Count = 1;
            var serial = Run();
            ComputeThreads.Count = 4;
            var parallel = Run();
            Assert.Equal(serial, parallel);
        }
        finally
        {
            ComputeThreads.Count = saved;
        }

        static float[] Run()
        {
            // 8 query heads over 2 key/value heads: four heads of a group add into the same dk, dv rows.
            var rng = new Rng(51);
            using var q = Tensor.RandomNormal(new Shape(2, 48, 8, 16), rng);
            using var k = Tensor.RandomNormal(new Shape(2, 48, 2, 16), rng);
            using var v = Tensor.RandomNormal(new Shape(2, 48, 2, 16), rng);
            q.RequiresGrad = k.RequiresGrad = v.RequiresGrad = true;
            var upstream = new float[q.Count];
            rng.FillNormal(upstream);
            using var tape = new Tape();
            var y = tape.CausalAttention(q, k, v, 0.25f);
            var all = new List<float>(y.ToArray());
            tape.Backward(y, upstream);
            all.AddRange(q.Grad!.ToArray());
            all.AddRange(k.Grad!.ToArray());
            all.AddRange(v.Grad!.ToArray());
            return all.ToArray();
        }
    }
}
