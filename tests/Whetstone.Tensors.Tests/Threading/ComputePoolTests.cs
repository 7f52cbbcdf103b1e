using Whetstone.Tensors.Threading;

namespace Whetstone.Tensors.Tests.Threading;

[Collection(ComputeThreadsCollection.Name)]
public class ComputePoolTests
{
    private unsafe struct MarkBody : IComputeLoopBody
    {
        public int* Hits;
        public int* ThreadIds;

        public readonly void Invoke(int index)
        {
            Interlocked.Increment(ref Hits[index]);
            ThreadIds[index] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(2000); // long enough that more than one thread gets indices
        }
    }

    private struct ThrowingBody : IComputeLoopBody
    {
        public int ThrowAt;

        public readonly void Invoke(int index)
        {
            if (index == ThrowAt)
                throw new InvalidOperationException($"index {index}");
        }
    }

    private unsafe struct NestedBody : IComputeLoopBody
    {
        public int* Hits;
        public int Inner;

        public readonly void Invoke(int index)
        {
            Assert.True(ComputePool.IsInsideLoop);
            var row = new RowBody { Hits = Hits + index * Inner };
            ComputePool.For(Inner, row);
        }
    }

    private unsafe struct RowBody : IComputeLoopBody
    {
        public int* Hits;

        public readonly void Invoke(int index) => Interlocked.Increment(ref Hits[index]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 300)]
    [InlineData(3, 257)]
    [InlineData(4, 3)]
    public unsafe void RunsEveryIndexExactlyOnce(int threads, int count)
    {
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = threads;
        try
        {
            var hits = new int[count];
            var ids = new int[count];
            fixed (int* h = hits)
            fixed (int* t = ids)
                ComputePool.For(count, new MarkBody { Hits = h, ThreadIds = t });
            Assert.All(hits, x => Assert.Equal(1, x));
            Assert.True(ids.Distinct().Count() <= threads);
            Assert.False(ComputePool.IsInsideLoop);
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public void UsesWorkerThreadsWhenAllowed()
    {
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = 2;
        try
        {
            ComputePool.For(64, new RowBodyNoop());
            Assert.True(ComputePool.WorkerCount >= 1);
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    private struct RowBodyNoop : IComputeLoopBody
    {
        public readonly void Invoke(int index) { }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PropagatesTheExceptionAndStaysUsable(int threads)
    {
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = threads;
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => ComputePool.For(100, new ThrowingBody { ThrowAt = 37 }));
            Assert.Equal("index 37", e.Message);
            Assert.False(ComputePool.IsInsideLoop);
            RunsEveryIndexExactlyOnce(threads, 50);
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public unsafe void NestedLoopsRunSeriallyInsideTheOuterBody()
    {
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = 3;
        try
        {
            int outer = 9, inner = 11;
            var hits = new int[outer * inner];
            fixed (int* h = hits)
                ComputePool.For(outer, new NestedBody { Hits = h, Inner = inner });
            Assert.All(hits, x => Assert.Equal(1, x));
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public unsafe void ConcurrentCallersEachGetAllTheirIndices()
    {
        int saved = ComputeThreads.Count;
        ComputeThreads.Count = 2;
        try
        {
            var results = new int[4][];
            Parallel.For(0, 4, caller =>
            {
                var hits = new int[500];
                for (int round = 0; round < 20; round++)
                    fixed (int* h = hits)
                        ComputePool.For(hits.Length, new RowBody { Hits = h });
                results[caller] = hits;
            });
            Assert.All(results, hits => Assert.All(hits, x => Assert.Equal(20, x)));
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public void CountRejectsLessThanOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeThreads.Count = 0);
    }
}
