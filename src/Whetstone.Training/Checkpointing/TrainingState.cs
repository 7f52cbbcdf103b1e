using Whetstone.Tensors;
using Whetstone.Tensors.Autograd;
using Whetstone.Tensors.Optim;

namespace Whetstone.Training.Checkpointing;

/// <summary>
/// The live objects a training checkpoint saves and a resume restores in place: the trainable parameters
/// (the whole model, or only the LoRA adapters — whatever <see cref="ParameterSet"/> the optimizer updates),
/// the AdamW state, and every random generator whose stream must continue exactly (data shuffling,
/// augmentation, sampling). Register each generator once, under a stable name, before saving or resuming.
/// </summary>
public sealed class TrainingState
{
    private readonly SortedDictionary<string, Rng> _rngs = new(StringComparer.Ordinal);

    /// <summary>Binds the parameters and the optimizer that updates them.</summary>
    /// <param name="parameters">The trainable parameters, keyed by their Hugging Face names.</param>
    /// <param name="optimizer">The AdamW over exactly <paramref name="parameters"/>.</param>
    /// <exception cref="ArgumentException">The optimizer updates a different parameter set.</exception>
    public TrainingState(ParameterSet parameters, AdamW optimizer)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!ReferenceEquals(optimizer.Parameters, parameters))
            throw new ArgumentException("The optimizer must update the same ParameterSet that is checkpointed.", nameof(optimizer));
        Parameters = parameters;
        Optimizer = optimizer;
    }

    /// <summary>The trainable parameters (saved to <c>model.safetensors</c> under their names).</summary>
    public ParameterSet Parameters { get; }

    /// <summary>The optimizer whose moments, step count and learning rate are saved.</summary>
    public AdamW Optimizer { get; }

    /// <summary>The registered generators, by name (sorted).</summary>
    public IReadOnlyDictionary<string, Rng> Rngs => _rngs;

    /// <summary>Registers <paramref name="rng"/> under <paramref name="name"/> and returns this state, for chaining.</summary>
    /// <param name="name">Stable name such as <c>data</c> or <c>sampling</c>: letters, digits, '_', '-' or '.'.</param>
    /// <param name="rng">The generator; its state is read on save and overwritten on resume.</param>
    public TrainingState AddRng(string name, Rng rng)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(rng);
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
                throw new ArgumentException($"RNG name '{name}' may only hold letters, digits, '_', '-' and '.'.", nameof(name));
        if (!_rngs.TryAdd(name, rng))
            throw new ArgumentException($"An RNG named '{name}' is already registered.", nameof(name));
        return this;
    }
}
