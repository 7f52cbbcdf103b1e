using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Whetstone.Tensors.Threading;

/// <summary>
/// A small persistent thread pool for compute kernels (GEMM and friends). <see cref="For{TBody}(int, in TBody)"/>
/// hands out loop indices one at a time to the calling thread and up to <see cref="ComputeThreads.Count"/> − 1
/// long-lived workers, and returns when all indices ran. Steady state allocates nothing per loop.
/// </summary>
/// <remarks>
/// Which thread runs which index varies from run to run, so a body must make each index's result independent
/// of the thread that runs it (then results are deterministic for any thread count). A loop started from inside
/// another loop's body, or while another thread's loop holds the pool, runs serially on the calling thread.
/// </remarks>
public static unsafe class ComputePool
{
    private static readonly object StartLock = new();
    private static readonly SemaphoreSlim WorkAvailable = new(0, int.MaxValue);
    private static readonly ManualResetEventSlim AllDone = new(false);
    private static readonly List<Thread> Workers = new();

    [ThreadStatic] private static bool _insideLoop;

    // The loop currently running. Written by the owner before releasing workers; read-only while workers run.
    private static int _owned;                              // 1 while a thread owns the pool
    private static delegate*<void*, int, void> _invoke;      // static trampoline that calls TBody.Invoke
    private static void* _body;                             // the owner's stack copy of the TBody
    private static int _count;
    private static int _nextIndex;                          // next index to hand out (Interlocked)
    private static int _unfinishedWorkers;                  // released workers that have not checked out yet
    private static Exception? _firstError;

    /// <summary>Worker threads started so far (they never exit; they sleep when idle).</summary>
    public static int WorkerCount
    {
        get { lock (StartLock) return Workers.Count; }
    }

    /// <summary>True on a thread that is running a <see cref="For{TBody}(int, in TBody)"/> body.</summary>
    public static bool IsInsideLoop => _insideLoop;

    /// <summary>
    /// Runs <c>body.Invoke(i)</c> for every i in [0, <paramref name="count"/>), spread over the calling thread
    /// and pool workers, and returns when all have finished. The first exception thrown by any index is
    /// rethrown here after the others stop; indices not yet started are skipped.
    /// </summary>
    /// <typeparam name="TBody">The loop body struct.</typeparam>
    /// <param name="count">Number of iterations; 0 or less does nothing.</param>
    /// <param name="body">The loop body; copied once, then shared by all threads.</param>
    public static void For<TBody>(int count, in TBody body) where TBody : struct, IComputeLoopBody
    {
        if (count <= 0)
            return;
        int threads = Math.Min(ComputeThreads.Count, count);
        if (threads <= 1 || _insideLoop || Interlocked.CompareExchange(ref _owned, 1, 0) != 0)
        {
            RunSerially(count, body);
            return;
        }

        // A stack copy: it cannot move, so workers may read it through a raw pointer until we return.
        TBody local = body;
        try
        {
            EnsureWorkers(threads - 1);
            _invoke = &Trampoline<TBody>;
            _body = Unsafe.AsPointer(ref local);
            _count = count;
            _nextIndex = 0;
            _firstError = null;
            _unfinishedWorkers = threads - 1;
            AllDone.Reset();
            WorkAvailable.Release(threads - 1);

            RunIndices();
            AllDone.Wait();

            Exception? error = _firstError;
            _firstError = null;
            _body = null;
            if (error is not null)
                ExceptionDispatchInfo.Capture(error).Throw();
        }
        finally
        {
            Volatile.Write(ref _owned, 0);
        }
    }

    private static void RunSerially<TBody>(int count, in TBody body) where TBody : struct, IComputeLoopBody
    {
        bool wasInside = _insideLoop;
        _insideLoop = true;
        try
        {
            for (int i = 0; i < count; i++)
                body.Invoke(i);
        }
        finally
        {
            _insideLoop = wasInside;
        }
    }

    private static void Trampoline<TBody>(void* body, int index) where TBody : struct, IComputeLoopBody
        => Unsafe.AsRef<TBody>(body).Invoke(index);

    // Claims indices until none are left. Runs on the owner and on each released worker.
    private static void RunIndices()
    {
        _insideLoop = true;
        try
        {
            int count = _count;
            var invoke = _invoke;
            void* body = _body;
            while (true)
            {
                int index = Interlocked.Increment(ref _nextIndex) - 1;
                if (index >= count)
                    break;
                try
                {
                    invoke(body, index);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _firstError, e, null);
                    Volatile.Write(ref _nextIndex, count); // stop handing out indices
                }
            }
        }
        finally
        {
            _insideLoop = false;
        }
    }

    private static void EnsureWorkers(int needed)
    {
        if (Volatile.Read(ref _startedWorkers) >= needed)
            return;
        lock (StartLock)
        {
            while (Workers.Count < needed)
            {
                var thread = new Thread(WorkerLoop)
                {
                    IsBackground = true,
                    Name = $"Whetstone compute {Workers.Count + 1}",
                };
                thread.Start();
                Workers.Add(thread);
            }
            Volatile.Write(ref _startedWorkers, Workers.Count);
        }
    }

    private static int _startedWorkers;

    private static void WorkerLoop()
    {
        while (true)
        {
            WorkAvailable.Wait();
            RunIndices();
            if (Interlocked.Decrement(ref _unfinishedWorkers) == 0)
                AllDone.Set();
        }
    }
}
