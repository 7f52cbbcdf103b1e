using System.Diagnostics;
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
/// of the thread that runs it (then results are deterministic for any thread count). A worker that is slow to
/// wake (the machine is busy) simply joins late or not at all: the caller never waits for a worker that has not
/// started. A loop started from inside another loop's body, or while another thread's loop holds the pool,
/// runs serially on the calling thread.
/// </remarks>
public static unsafe class ComputePool
{
    // Workers spin this long after a loop before sleeping: GEMM issues loops back to back, and waking a
    // sleeping thread costs tens of microseconds.
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs

    private static readonly object StartLock = new();
    private static readonly ManualResetEventSlim LoopOpened = new(false, spinCount: 0); // set while a loop is open
    private static readonly List<Thread> Workers = new();
    private static int _startedWorkers;

    [ThreadStatic] private static bool _insideLoop;

    // The loop being run. The owner writes the fields, then sets _open; a worker joins by incrementing
    // _participants and then checking _open (full fences on both sides), so the owner, after closing the
    // loop, only has to wait for participants that actually joined.
    private static int _owned;                              // 1 while a thread owns the pool
    private static int _open;                               // 1 while workers may join the current loop
    private static int _participants;                       // workers inside the current loop
    private static int _seats;                              // workers that may still join (ComputeThreads.Count − 1)
    private static delegate*<void*, int, void> _invoke;      // static trampoline that calls TBody.Invoke
    private static void* _body;                             // the owner's stack copy of the TBody
    private static int _count;
    private static int _nextIndex;                          // next index to hand out (Interlocked)
    private static Exception? _firstError;

    /// <summary>Worker threads started so far (they never exit; they sleep when idle).</summary>
    public static int WorkerCount => Volatile.Read(ref _startedWorkers);

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
            _seats = threads - 1;
            Interlocked.Exchange(ref _open, 1);
            LoopOpened.Set();

            RunIndices();

            // Every index is claimed; close the loop and wait for the workers still finishing theirs.
            Interlocked.Exchange(ref _open, 0);
            LoopOpened.Reset();
            var spin = new SpinWait();
            while (Volatile.Read(ref _participants) != 0)
                spin.SpinOnce(sleep1Threshold: -1);

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

    // Claims indices until none are left. Runs on the owner and on each worker that joined.
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

    private static void WorkerLoop()
    {
        while (true)
        {
            TryJoin();
            // Spin briefly for the next loop, then sleep until an owner opens one.
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            bool joined = false;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (Volatile.Read(ref _open) != 0 && Volatile.Read(ref _nextIndex) < Volatile.Read(ref _count))
                {
                    joined = true;
                    break;
                }
                Thread.SpinWait(20);
            }
            if (!joined)
                LoopOpened.Wait();
        }
    }

    // Joins the open loop, if any. A wake-up may be stale (the loop already closed): then nothing runs.
    private static void TryJoin()
    {
        Interlocked.Increment(ref _participants);
        if (Volatile.Read(ref _open) != 0 && Interlocked.Decrement(ref _seats) >= 0)
            RunIndices();
        Interlocked.Decrement(ref _participants);
    }
}
