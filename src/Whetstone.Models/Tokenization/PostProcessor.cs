namespace Whetstone.Models.Tokenization;

/// <summary>
/// What <c>post_processor</c> adds around a single sequence when special tokens are requested:
/// Llama 3's TemplateProcessing puts <c>&lt;|begin_of_text|&gt;</c> in front; ByteLevel adds nothing.
/// </summary>
internal sealed record PostProcessor(int[] Prefix, int[] Suffix)
{
    /// <summary>Adds nothing.</summary>
    public static readonly PostProcessor None = new([], []);

    /// <summary>This one followed by <paramref name="other"/> (a Sequence of processors).</summary>
    public PostProcessor Then(PostProcessor other) => new([.. other.Prefix, .. Prefix], [.. Suffix, .. other.Suffix]);
}
