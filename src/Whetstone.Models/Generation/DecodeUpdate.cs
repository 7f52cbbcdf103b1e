namespace Whetstone.Models.Generation;

/// <summary>One token for one request of a <see cref="BatchedDecoder"/>, and the finished sequence when it was the last.</summary>
/// <param name="Token">The token drawn.</param>
/// <param name="Finished">The whole result when this token ended the sequence, else null.</param>
public readonly record struct DecodeUpdate(SampledToken Token, GenerationResult? Finished);
