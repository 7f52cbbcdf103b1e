namespace Whetstone.Training.Data;

/// <summary>
/// The chat template does not render a conversation incrementally: the text for a longer conversation does not
/// start with the text for a shorter one (Qwen3 drops earlier reasoning and empty think blocks, for example), so
/// prompt tokens plus generated tokens would not be what the template renders. Names the message at fault.
/// </summary>
public sealed class TemplateMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="messageIndex">Index (0-based, in the conversation) of the assistant message at fault.</param>
    /// <param name="message">What went wrong and what to do.</param>
    public TemplateMismatchException(int messageIndex, string message) : base(message) => MessageIndex = messageIndex;

    /// <summary>Index (0-based) of the assistant message whose rendering disagrees.</summary>
    public int MessageIndex { get; }

    /// <summary>A short excerpt of both texts at the first character where they differ.</summary>
    internal static string Divergence(string shorter, string longer)
    {
        int n = Math.Min(shorter.Length, longer.Length), at = 0;
        while (at < n && shorter[at] == longer[at]) at++;
        static string Cut(string s, int from) => Escape(s.Substring(from, Math.Min(40, s.Length - from)));
        int from = Math.Max(0, at - 20);
        return $"texts differ at character {at}: \"{Cut(shorter, from)}\" vs \"{Cut(longer, from)}\"";
    }

    private static string Escape(string s) => s.Replace("\n", "\\n").Replace("\t", "\\t");
}
