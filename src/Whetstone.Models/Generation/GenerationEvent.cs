namespace Whetstone.Models.Generation;

/// <summary>One token produced by <see cref="Generator.Step"/> for one sequence.</summary>
/// <param name="SequenceId">The sequence's id.</param>
/// <param name="Token">The token drawn.</param>
/// <param name="Finished">The finished sequence when this token ended it, else null.</param>
public readonly record struct GenerationEvent(int SequenceId, SampledToken Token, GenerationResult? Finished);
