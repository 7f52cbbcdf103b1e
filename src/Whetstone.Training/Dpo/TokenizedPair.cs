using Whetstone.Training.Data;

namespace Whetstone.Training.Dpo;

/// <summary>A preference pair as token ids with assistant-only loss masks (the completion whose log-prob is summed).</summary>
/// <param name="Chosen">The preferred sequence.</param>
/// <param name="Rejected">The dispreferred sequence.</param>
public sealed record TokenizedPair(TokenizedSequence Chosen, TokenizedSequence Rejected);
