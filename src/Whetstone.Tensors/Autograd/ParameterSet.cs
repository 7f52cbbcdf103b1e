using System.Collections;

namespace Whetstone.Tensors.Autograd;

/// <summary>
/// An ordered collection of named parameters. Order is insertion order and never changes, so optimizer
/// state and checkpoints can be matched by index as well as by name.
/// </summary>
public sealed class ParameterSet : IReadOnlyList<Parameter>
{
    private readonly List<Parameter> _items = new();
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="value"/> under <paramref name="name"/>, sets its <see cref="Tensor.RequiresGrad"/> and returns it.</summary>
    /// <param name="name">Unique name.</param>
    /// <param name="value">The weights; the set does not copy or own them.</param>
    /// <param name="applyWeightDecay">Whether decoupled weight decay applies.</param>
    public Tensor Add(string name, Tensor value, bool applyWeightDecay = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (value.IsPooled)
            throw new ArgumentException($"Parameter '{name}' must be an owned tensor (Tensor.Zeros/FromArray/Random*), not a tape result.", nameof(value));
        if (!_byName.TryAdd(name, _items.Count))
            throw new ArgumentException($"A parameter named '{name}' already exists.", nameof(name));
        value.RequiresGrad = true;
        value.Name ??= name;
        _items.Add(new Parameter(name, value, applyWeightDecay));
        return value;
    }

    /// <summary>Number of parameters.</summary>
    public int Count => _items.Count;

    /// <summary>Total number of scalar weights.</summary>
    public long ElementCount
    {
        get
        {
            long n = 0;
            foreach (var p in _items) n += p.Value.Count;
            return n;
        }
    }

    /// <summary>The parameter at position <paramref name="index"/> in insertion order.</summary>
    /// <param name="index">Position.</param>
    public Parameter this[int index] => _items[index];

    /// <summary>The parameter named <paramref name="name"/>.</summary>
    /// <param name="name">Name given to <see cref="Add"/>.</param>
    public Parameter this[string name] =>
        _byName.TryGetValue(name, out int i) ? _items[i] : throw new KeyNotFoundException($"No parameter named '{name}'.");

    /// <summary>Looks a parameter up by name.</summary>
    /// <param name="name">Name given to <see cref="Add"/>.</param>
    /// <param name="parameter">The parameter, when found.</param>
    public bool TryGet(string name, out Parameter parameter)
    {
        if (_byName.TryGetValue(name, out int i))
        {
            parameter = _items[i];
            return true;
        }
        parameter = null!;
        return false;
    }

    /// <summary>Sets every parameter's gradient to zero (buffers are kept).</summary>
    public void ZeroGrad()
    {
        for (int i = 0; i < _items.Count; i++) _items[i].Value.ZeroGrad();
    }

    /// <summary>Enumerates in insertion order (a struct enumerator; no allocation in <c>foreach</c> over the concrete type).</summary>
    public List<Parameter>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<Parameter> IEnumerable<Parameter>.GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
