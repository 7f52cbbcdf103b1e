using System.Text.Json;

namespace Whetstone.Training.Checkpointing;

/// <summary>
/// Where the trainer is in its data: the epoch, the index of the next example (or batch) in that epoch's
/// deterministic shuffled order, and optionally an opaque JSON value for anything else the trainer needs
/// (a prompt queue, a curriculum stage). It is saved with the step it follows, so resuming reads next exactly
/// what the uninterrupted run would have read.
/// </summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Index">Position of the next item within the epoch's order.</param>
/// <param name="StateJson">Optional JSON text the trainer supplies; stored verbatim (it must be valid JSON).</param>
public sealed record DataPosition(int Epoch, long Index, string? StateJson = null)
{
    /// <summary>The start of training: epoch 0, index 0, no extra state.</summary>
    public static DataPosition Start { get; } = new(0, 0);

    internal void Validate()
    {
        if (Epoch < 0) throw new ArgumentOutOfRangeException(nameof(Epoch), $"DataPosition.Epoch must be ≥ 0, got {Epoch}.");
        if (Index < 0) throw new ArgumentOutOfRangeException(nameof(Index), $"DataPosition.Index must be ≥ 0, got {Index}.");
        if (StateJson is null) return;
        try
        {
            using var _ = JsonDocument.Parse(StateJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"DataPosition.StateJson is not valid JSON: {e.Message}", nameof(StateJson), e);
        }
    }
}
