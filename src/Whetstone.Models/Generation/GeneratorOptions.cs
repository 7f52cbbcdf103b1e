namespace Whetstone.Models.Generation;

/// <summary>Capacity settings of a <see cref="Generator"/>.</summary>
public sealed record GeneratorOptions
{
    /// <summary>Most sequences decoded together per step; further requests wait their turn.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Longest prompt + output of one sequence (its KV cache capacity); null: the model's max_position_embeddings, at most 4096.</summary>
    public int? MaxSequenceLength { get; init; }

    /// <summary>Rows per engine pass: a longer prompt is prefilled in chunks of this many tokens.</summary>
    public int RowCapacity { get; init; } = 256;
}
