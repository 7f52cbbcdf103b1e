using Whetstone.Models.Configuration;
using Whetstone.Tensors;

namespace Whetstone.Models.Generation;

/// <summary>
/// The keys and values one sequence has produced so far, for every layer: K, V each (layers, kv_heads, capacity, head_dim),
/// position-major within a head so that attention reads one contiguous (length, head_dim) block per head.
/// Created by <see cref="InferenceEngine.CreateCache"/>; reusable after <see cref="Clear"/>.
/// </summary>
public sealed unsafe class KvCache : IDisposable
{
    internal KvCache(ModelConfig config, int capacity)
    {
        if (capacity <= 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "KV cache capacity must be positive.");
        if (capacity > config.MaxPositionEmbeddings)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
                $"KV cache capacity exceeds max_position_embeddings ({config.MaxPositionEmbeddings}).");
        Layers = config.NumLayers;
        KeyValueHeads = config.NumKeyValueHeads;
        HeadDim = config.HeadDim;
        Capacity = capacity;
        var shape = new Shape(Layers, KeyValueHeads, capacity, HeadDim);
        Keys = Tensor.Zeros(shape);
        Values = Tensor.Zeros(shape);
    }

    /// <summary>Transformer layers.</summary>
    public int Layers { get; }

    /// <summary>Key/value heads per layer.</summary>
    public int KeyValueHeads { get; }

    /// <summary>Width of one head.</summary>
    public int HeadDim { get; }

    /// <summary>Most tokens the cache holds.</summary>
    public int Capacity { get; }

    /// <summary>Tokens stored so far; the next token fed goes to position <see cref="Length"/>.</summary>
    public int Length { get; internal set; }

    /// <summary>Tokens that still fit.</summary>
    public int Remaining => Capacity - Length;

    /// <summary>(layers, kv_heads, capacity, head_dim).</summary>
    internal Tensor Keys { get; }

    /// <summary>(layers, kv_heads, capacity, head_dim).</summary>
    internal Tensor Values { get; }

    /// <summary>Start of layer <paramref name="layer"/>'s keys: (kv_heads, capacity, head_dim).</summary>
    internal float* LayerKeys(int layer) => Keys.DataPointer + (nint)layer * KeyValueHeads * Capacity * HeadDim;

    /// <summary>Start of layer <paramref name="layer"/>'s values: (kv_heads, capacity, head_dim).</summary>
    internal float* LayerValues(int layer) => Values.DataPointer + (nint)layer * KeyValueHeads * Capacity * HeadDim;

    /// <summary>Forgets every token (O(1)); stale entries are overwritten before they are read again.</summary>
    public void Clear() => Length = 0;

    /// <summary>Drops the tokens after <paramref name="length"/>, e.g. to reuse a shared prompt prefix.</summary>
    public void Truncate(int length)
    {
        if (length < 0 || length > Length)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Truncate: the cache holds {Length} tokens.");
        Length = length;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Keys.Dispose();
        Values.Dispose();
    }
}
