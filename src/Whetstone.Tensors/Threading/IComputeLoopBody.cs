namespace Whetstone.Tensors.Threading;

/// <summary>
/// The body of a <see cref="ComputePool.For{TBody}(int, in TBody)"/> loop: a struct holding the loop's
/// state (pointers, sizes) whose <see cref="Invoke"/> runs one index. Being a struct passed by reference,
/// it costs no allocation per loop, unlike a closure.
/// </summary>
/// <remarks>
/// Several threads call <see cref="Invoke"/> on the same instance at once, so it must not mutate the struct;
/// write results only through pointers or arrays it holds, to disjoint places per index.
/// </remarks>
public interface IComputeLoopBody
{
    /// <summary>Runs iteration <paramref name="index"/>, in [0, count).</summary>
    /// <param name="index">The iteration to run.</param>
    void Invoke(int index);
}
