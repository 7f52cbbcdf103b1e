namespace Whetstone.Training.Data;

/// <summary>
/// What <see cref="SftTokenizer"/> does when the chat template renders an assistant turn differently once later
/// messages follow it, so that "prompt + the turn as generated + the next observations" is not a prefix of what the
/// template renders for the longer conversation. Qwen3 does this: it writes an empty think block on the last
/// assistant turn but not on earlier ones, and drops the reasoning of turns before the last user query. Templates
/// that render incrementally (ChatML, Llama 3, Qwen3 when every turn after the last user message has reasoning) never
/// reach this choice: all three policies give the same single sequence there.
/// </summary>
public enum TemplateHistoryPolicy
{
    /// <summary>Fail with a <see cref="TemplateMismatchException"/> naming the assistant message. The default: no silent choice.</summary>
    Strict,

    /// <summary>
    /// Close the sequence after the turn and start a new one whose context is the template's own rendering of the
    /// history. Each assistant turn is trained once, in exactly the context a server that renders the template every
    /// turn (vLLM, SGLang, llama.cpp) gives it. Costs more tokens: the history is repeated per sequence.
    /// </summary>
    SplitSequence,

    /// <summary>
    /// Keep the turn as generated (its last-turn rendering) and append only the new observation text, as a
    /// token-in/token-out rollout does. One sequence per conversation, identical to what
    /// <see cref="RolloutSequenceBuilder"/> builds from the same turns; the history differs from the template's own
    /// rendering of the whole conversation.
    /// </summary>
    KeepAsGenerated,
}
