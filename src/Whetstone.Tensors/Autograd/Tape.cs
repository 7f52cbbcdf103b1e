using Whetstone.Tensors.Memory;

namespace Whetstone.Tensors.Autograd;

/// <summary>
/// Reverse-mode automatic differentiation. Every operation method (<see cref="MatMul"/>,
/// <see cref="RmsNorm"/>, <see cref="CrossEntropy"/>, ...) computes its result immediately and, when
/// an input requires a gradient, records an entry; <see cref="Backward(Tensor)"/> replays the entries in
/// reverse, adding gradients into <see cref="Tensor.Grad"/>.
/// </summary>
/// <remarks>
/// <para>A step looks like: forward ops → <c>Backward(loss)</c> → optimizer step → <see cref="Reset"/>.
/// Results of operations are drawn from the tape's own pool and are valid until <see cref="Reset"/>
/// (which also forgets the recorded entries). Gradients of results are scratch: each goes back to the pool once
/// backward has consumed it (see <see cref="RetainResultGradients"/>). After the first step every buffer is reused, so a
/// steady-state training loop allocates nothing.</para>
/// <para>Gradients of leaves (parameters, inputs you created) accumulate over <c>Backward</c> calls until
/// you zero them (<see cref="Tensor.ZeroGrad"/>, <see cref="ParameterSet.ZeroGrad"/>): that is gradient
/// accumulation. A tape is used by one thread; the kernels it calls parallelise internally.</para>
/// </remarks>
public sealed partial class Tape : IDisposable
{
    private TapeEntry[] _entries = new TapeEntry[256];
    private int _entryCount;
    private Tensor?[] _owned = new Tensor?[1024];
    private int _ownedCount;
    private int _noGradDepth;
    private readonly TensorPool _pool = new();

    /// <summary>True unless inside a <see cref="NoGrad"/> scope.</summary>
    public bool IsRecording => _noGradDepth == 0;

    /// <summary>Number of operations recorded since the last <see cref="Reset"/>.</summary>
    public int EntryCount => _entryCount;

    /// <summary>Number of buffers the tape's pool has allocated so far (stops growing in a steady-state loop).</summary>
    public int PooledBufferCount => _pool.CreatedCount;

    /// <summary>Bytes of native memory the tape's pool holds (in use and free for reuse).</summary>
    public long PooledBytes => _pool.Bytes;

    /// <summary>
    /// Most bytes of pooled storage in use at once (results, gradients of results, scratch) since the tape was created
    /// or <see cref="ResetPeakBytes"/>: the tape's share of a step's peak memory.
    /// </summary>
    public long PeakBytesInUse => _pool.PeakRentedBytes;

    /// <summary>Starts a new <see cref="PeakBytesInUse"/> window at the bytes in use now.</summary>
    public void ResetPeakBytes() => _pool.ResetPeak();

    /// <summary>
    /// Keep the gradients of operation results after <see cref="Backward(Tensor)"/> (default false: only leaves keep
    /// theirs). Off, each result's gradient goes back to the pool as soon as its op's backward has consumed it, so a
    /// backward pass holds a few layers' gradients at a time instead of all of them; turn it on to inspect them.
    /// </summary>
    public bool RetainResultGradients { get; set; }

    /// <summary>
    /// Resets the tape and frees every pooled buffer, e.g. after a step with unusually long sequences.
    /// The next steps allocate again until the pool refills.
    /// </summary>
    public void TrimPool()
    {
        Reset();
        _pool.Trim();
    }

    /// <summary>
    /// Starts a scope in which nothing is recorded and results never require gradients:
    /// <c>using (tape.NoGrad()) { ... }</c>. Results still come from the pool and are released by <see cref="Reset"/>.
    /// </summary>
    public NoGradScope NoGrad()
    {
        _noGradDepth++;
        return new NoGradScope(this);
    }

    internal void EndNoGrad()
    {
        if (_noGradDepth == 0) throw new InvalidOperationException("NoGrad scope disposed more than once.");
        _noGradDepth--;
    }

    /// <summary>
    /// A scratch tensor from the tape's pool, valid until <see cref="Reset"/>; use it for per-step inputs
    /// (e.g. a batch of features) to keep the loop allocation-free. Contents are zero.
    /// </summary>
    /// <param name="shape">Dimensions.</param>
    public Tensor NewTensor(Shape shape) => NewOutput(shape, zero: true);

    /// <summary>A scratch tensor from the tape's pool holding a copy of <paramref name="values"/>, valid until <see cref="Reset"/>.</summary>
    /// <param name="shape">Dimensions.</param>
    /// <param name="values">Elements in row-major order; the length must equal the shape's element count.</param>
    public Tensor NewTensor(Shape shape, ReadOnlySpan<float> values)
    {
        var t = NewOutput(shape);
        t.CopyFrom(values);
        return t;
    }

    /// <summary>
    /// Forgets every recorded entry and returns every tensor the tape produced (results, views,
    /// gradients of results, scratch tensors) to its pool. Leaf gradients are kept.
    /// </summary>
    public void Reset()
    {
        for (int i = 0; i < _ownedCount; i++)
            if (_owned[i] is { } t) _pool.Return(t);   // null: returned early (a consumed gradient)
        Array.Clear(_owned, 0, _ownedCount);
        _ownedCount = 0;
        Array.Clear(_entries, 0, _entryCount);
        _entryCount = 0;
    }

    /// <summary>Resets and frees all pooled memory. Tensors the tape returned become invalid.</summary>
    public void Dispose()
    {
        Reset();
        _pool.Dispose();
    }

    internal Tensor NewOutput(Shape shape, bool zero = false)
    {
        var t = _pool.Rent(shape, zero);
        Own(t);
        return t;
    }

    internal Tensor NewView(Tensor source, Shape shape, int offset = 0)
    {
        var t = _pool.RentView(source, shape, offset);
        Own(t);
        return t;
    }

    private void Own(Tensor t)
    {
        if (_ownedCount == _owned.Length) Array.Resize(ref _owned, _owned.Length * 2);
        t.TapeSlot = _ownedCount;
        _owned[_ownedCount++] = t;
    }

    /// <summary>True when the op should record: recording, and at least one input needs a gradient.</summary>
    internal bool ShouldRecord(Tensor? a, Tensor? b = null, Tensor? c = null) =>
        _noGradDepth == 0 && (a is { RequiresGrad: true } || b is { RequiresGrad: true } || c is { RequiresGrad: true });

    /// <summary>Appends an entry and marks its output as requiring a gradient.</summary>
    internal void Record(in TapeEntry entry)
    {
        if (_entryCount == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        _entries[_entryCount++] = entry;
        entry.Output.RequiresGrad = true;
    }

    /// <summary>The gradient buffer of <paramref name="t"/>, created zeroed on first use.</summary>
    internal Tensor GradOf(Tensor t)
    {
        if (t.Grad is { } g) return g;
        g = t.IsPooled ? NewOutput(t.Shape, zero: true) : Tensor.Zeros(t.Shape);
        t.Grad = g;
        return g;
    }

    /// <summary>
    /// Back-propagates from a scalar <paramref name="loss"/> (one element): adds d loss / d x into the
    /// <see cref="Tensor.Grad"/> of every tensor that requires a gradient.
    /// </summary>
    /// <param name="loss">A one-element result of operations on this tape.</param>
    public void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Count != 1)
            throw new ArgumentException($"Backward(loss) needs a one-element loss, got {loss.Describe()}; pass an upstream gradient for other outputs.", nameof(loss));
        BeginBackward(loss);
        GradOf(loss).AsSpan()[0] += 1f;
        RunBackward();
    }

    /// <summary>
    /// Back-propagates from any <paramref name="output"/> given its upstream gradient (a vector–Jacobian product).
    /// </summary>
    /// <param name="output">A result of operations on this tape.</param>
    /// <param name="outputGradient">d L / d output, same element count as <paramref name="output"/>.</param>
    public void Backward(Tensor output, ReadOnlySpan<float> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (outputGradient.Length != output.Count)
            throw new ArgumentException($"Upstream gradient has {outputGradient.Length} values; {output.Describe()} has {output.Count}.", nameof(outputGradient));
        BeginBackward(output);
        var g = GradOf(output).AsSpan();
        for (int i = 0; i < g.Length; i++) g[i] += outputGradient[i];
        RunBackward();
    }

    private void BeginBackward(Tensor output)
    {
        if (!output.RequiresGrad)
            throw new InvalidOperationException($"{output.Describe()} does not require a gradient: no recorded op led to it from a tensor with RequiresGrad (or it was computed under NoGrad).");
        // Gradients of intermediate results are per-pass; only leaves accumulate across passes.
        for (int i = 0; i < _entryCount; i++) _entries[i].Output.Grad?.Clear();
    }

    private void RunBackward()
    {
        for (int i = _entryCount - 1; i >= 0; i--)
        {
            ref TapeEntry e = ref _entries[i];
            if (e.Output.Grad is null) continue; // nothing flowed into this result
            BackwardEntry(ref e);
            if (!RetainResultGradients) ReleaseGradient(e.Output);
        }
    }

    /// <summary>
    /// Returns a result's gradient to the pool once its op's backward has run. Every consumer of the result was
    /// recorded later and so has already added into it: nothing reads it again in this pass.
    /// </summary>
    private void ReleaseGradient(Tensor result)
    {
        if (result.Grad is not { IsPooled: true } g || g.TapeSlot >= _ownedCount || !ReferenceEquals(_owned[g.TapeSlot], g)) return;
        _owned[g.TapeSlot] = null;
        result.Grad = null;
        _pool.Return(g);
    }
}
