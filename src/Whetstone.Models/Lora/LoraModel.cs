using Whetstone.Models.Transformer;
using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;

namespace Whetstone.Models.Lora;

/// <summary>
/// LoRA adapters attached to a <see cref="TransformerModel"/>: one <see cref="LoraLayer"/> per targeted projection,
/// their A and B in <see cref="Parameters"/> under PEFT's names, and the base weights frozen. The model object stays
/// the same, so <c>model.Forward</c>, the <c>InferenceEngine</c> and the <c>Generator</c> all see the adapters.
/// </summary>
/// <remarks>
/// The frozen reference policy of DPO/GRPO is the same model inside <see cref="DisableAdapters"/>: no second copy
/// of the weights. Dispose detaches the adapters, frees A and B and restores the base parameters' RequiresGrad flags
/// (the base model itself is not disposed).
/// </remarks>
public sealed partial class LoraModel : IDisposable
{
    private readonly List<LoraLayer> _layers = new();
    private readonly bool[] _baseRequiresGrad;   // restored on Dispose
    private int _disabledDepth;
    private bool _disposed;

    private LoraModel(TransformerModel model, LoraConfig config)
    {
        Model = model;
        Config = config;
        _baseRequiresGrad = model.Parameters.Select(p => p.Value.RequiresGrad).ToArray();
        DropoutRng = new Rng(config.Seed ^ 0x9E3779B97F4A7C15UL);
    }

    /// <summary>The adapted model (its own parameters frozen).</summary>
    public TransformerModel Model { get; }

    /// <summary>The settings the adapters were built with.</summary>
    public LoraConfig Config { get; }

    /// <summary>Trainable A and B tensors under PEFT names (<see cref="LoraParameterNames"/>), block by block, A before B.</summary>
    public ParameterSet Parameters { get; } = new();

    /// <summary>The adapters in the order of <see cref="Parameters"/>.</summary>
    public IReadOnlyList<LoraLayer> Layers => _layers;

    /// <summary>Training mode: dropout is applied on the tape (default true; set false for evaluation).</summary>
    public bool Training { get; set; } = true;

    /// <summary>Whether B·A has been added into the base weights (<see cref="Merge"/>).</summary>
    public bool IsMerged { get; private set; }

    /// <summary>False inside a <see cref="DisableAdapters"/> scope: every adapter passes the base output through.</summary>
    public bool AdaptersEnabled => _disabledDepth == 0;

    /// <summary>
    /// Draws the dropout masks; seeded from <see cref="LoraConfig.Seed"/>. A training checkpoint saves its state so that
    /// a resumed run draws the same masks as an uninterrupted one.
    /// </summary>
    public Rng DropoutRng { get; }

    /// <summary>
    /// Attaches adapters to every projection of <paramref name="model"/> named in <see cref="LoraConfig.TargetModules"/>:
    /// A (r, in) kaiming-uniform (a = √5, as PEFT), B (out, r) zero, so the adapted model starts equal to the base.
    /// Every base parameter gets <c>RequiresGrad = false</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A targeted projection already has an extension.</exception>
    public static LoraModel Attach(TransformerModel model, LoraConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        foreach (var block in model.Blocks)
            foreach (var (name, layer) in block.Projections())
                if (config.TargetModules.Contains(name) && layer.Extension is not null)
                    throw new InvalidOperationException($"{layer.Name} already has an extension ({layer.Extension}); detach it first.");

        var lora = new LoraModel(model, config);
        var init = new Rng(config.Seed);
        foreach (var block in model.Blocks)
            foreach (var (name, layer) in block.Projections())
            {
                if (!config.TargetModules.Contains(name)) continue;
                var adapter = new LoraLayer(lora, block.Index, name, layer, config.Rank, config.Scaling, init);
                lora.Parameters.Add(LoraParameterNames.A(layer.Name), adapter.A);
                lora.Parameters.Add(LoraParameterNames.B(layer.Name), adapter.B);
                lora._layers.Add(adapter);
                layer.Extension = adapter;
            }
        foreach (var p in model.Parameters) p.Value.RequiresGrad = false;
        return lora;
    }

    /// <summary>
    /// Makes every adapter pass the base output through until the scope is disposed (scopes nest): the frozen
    /// reference model for a KL term or DPO's reference log-probs, on the tape and in the inference engine alike.
    /// </summary>
    /// <exception cref="InvalidOperationException">The adapters are merged: W no longer holds the base weights.</exception>
    public AdaptersDisabledScope DisableAdapters()
    {
        ThrowIfDisposed();
        if (IsMerged)
            throw new InvalidOperationException("Cannot disable merged adapters: the base weights include B·A; call Unmerge() first.");
        _disabledDepth++;
        return new AdaptersDisabledScope(this);
    }

    internal void EndDisabled()
    {
        if (_disabledDepth == 0) throw new InvalidOperationException("DisableAdapters scope disposed twice.");
        _disabledDepth--;
    }

    /// <summary>W += scaling·B·A for every adapter; the adapters then pass through (fast inference, export).</summary>
    public void Merge()
    {
        ThrowIfDisposed();
        if (IsMerged) throw new InvalidOperationException("The adapters are already merged.");
        if (!AdaptersEnabled) throw new InvalidOperationException("Cannot merge inside a DisableAdapters scope.");
        foreach (var l in _layers) l.AddDeltaToWeight(+1f);
        IsMerged = true;
    }

    /// <summary>W −= scaling·B·A, restoring the base weights up to float rounding.</summary>
    public void Unmerge()
    {
        ThrowIfDisposed();
        if (!IsMerged) throw new InvalidOperationException("The adapters are not merged.");
        foreach (var l in _layers) l.AddDeltaToWeight(-1f);
        IsMerged = false;
    }

    /// <summary>
    /// Removes the adapters from the model's projections (merged deltas stay in W; the base stays frozen until
    /// <see cref="Dispose"/>). Idempotent.
    /// </summary>
    public void Detach()
    {
        foreach (var l in _layers)
            if (ReferenceEquals(l.Layer.Extension, l)) l.Layer.Extension = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        Detach();
        for (int i = 0; i < _baseRequiresGrad.Length; i++) Model.Parameters[i].Value.RequiresGrad = _baseRequiresGrad[i];
        foreach (var l in _layers)
        {
            l.A.Dispose();
            l.B.Dispose();
        }
        _disposed = true;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
