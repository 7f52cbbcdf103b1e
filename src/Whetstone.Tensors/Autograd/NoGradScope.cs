namespace Whetstone.Tensors.Autograd;

/// <summary>
/// While alive, the owning <see cref="Tape"/> records nothing (inference, reference-model passes).
/// Obtained from <see cref="Tape.NoGrad"/> and ended by disposing it; scopes nest. A struct, so
/// <c>using (tape.NoGrad())</c> allocates nothing.
/// </summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly Tape? _tape;

    internal NoGradScope(Tape tape) => _tape = tape;

    /// <summary>Ends the scope; recording resumes when the outermost scope ends.</summary>
    public void Dispose() => _tape?.EndNoGrad();
}
