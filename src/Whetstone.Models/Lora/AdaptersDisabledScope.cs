namespace Whetstone.Models.Lora;

/// <summary>Re-enables the adapters of a <see cref="LoraModel"/> when disposed (<c>using (lora.DisableAdapters()) { ... }</c>).</summary>
public readonly struct AdaptersDisabledScope : IDisposable
{
    private readonly LoraModel? _owner;

    internal AdaptersDisabledScope(LoraModel owner) => _owner = owner;

    /// <summary>Ends the scope.</summary>
    public void Dispose() => _owner?.EndDisabled();
}
