namespace Whetstone.Training.Data;

/// <summary>What a run of tokens in a <see cref="TokenizedSequence"/> is.</summary>
public enum TokenSpanKind
{
    /// <summary>Given to the model: system, user and tool text, template markup, generation prompts. Never trained on.</summary>
    Context,
    /// <summary>Produced by the model: one assistant turn through its end-of-turn token. Trained on with the turn's weight.</summary>
    Completion,
}

/// <summary>A run of tokens of one kind.</summary>
/// <param name="Kind">Context or completion.</param>
/// <param name="Start">Index of the first token.</param>
/// <param name="Length">Number of tokens.</param>
/// <param name="MessageIndex">For a completion: index of its assistant message in the conversation; −1 for context.</param>
/// <param name="TurnIndex">For a completion: 0-based index among the conversation's assistant turns; −1 for context.</param>
/// <param name="Weight">Loss weight of the completion's tokens (0 for context).</param>
public readonly record struct TokenSpan(TokenSpanKind Kind, int Start, int Length, int MessageIndex, int TurnIndex, float Weight)
{
    /// <summary>One past the last token.</summary>
    public int End => Start + Length;
}
