using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Tests.Optim;

/// <summary>Training results must not depend on how many threads the kernels use (DESIGN: determinism).</summary>
[Collection(ComputeThreadsCollection.Name)]
public class ThreadCountInvarianceTests
{
    [Fact]
    public void TrainingIsBitIdenticalForOneAndSeveralThreads()
    {
        int saved = ComputeThreads.Count;
        try
        {
            ComputeThreads.Count = 1;
            var serial = Train();
            ComputeThreads.Count = 4;
            var parallel = Train();
            Assert.Equal(serial, parallel);
        }
        finally
        {
            ComputeThreads.Count = saved;
        }

        static float[] Train()
        {
            // Large enough that the GEMMs split their output across threads.
            using var mlp = new TinyMlp(seed: 11, batch: 256, hidden: 256);
            for (int i = 0; i < 5; i++) mlp.Step();
            var all = new List<float>();
            foreach (var p in mlp.Parameters) all.AddRange(p.Value.ToArray());
            return all.ToArray();
        }
    }
}
