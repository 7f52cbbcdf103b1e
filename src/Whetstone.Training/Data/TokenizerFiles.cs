namespace Whetstone.Training.Data;

/// <summary>
/// The files of a Hugging Face model directory that hold its tokenizer and chat template: what
/// <see cref="ChatFormatter.FromDirectory"/> reads, plus the ones transformers and llama.cpp read beside them.
/// A directory that gets new weights (a run's final/, an exported checkpoint) copies these from where the tokenizer lives.
/// </summary>
public static class TokenizerFiles
{
    /// <summary>The two files every model directory needs for <see cref="ChatFormatter.FromDirectory"/>.</summary>
    public static IReadOnlyList<string> Required { get; } = ["tokenizer.json", "tokenizer_config.json"];

    /// <summary>Copied when present: chat_template.jinja/.json hold the template when tokenizer_config.json has none.</summary>
    public static IReadOnlyList<string> Optional { get; } =
        ["special_tokens_map.json", "generation_config.json", "chat_template.jinja", "chat_template.json"];

    /// <summary>The required files missing from <paramref name="directory"/> (empty when it has them all).</summary>
    public static IReadOnlyList<string> MissingFrom(string directory) =>
        Required.Where(name => !File.Exists(Path.Combine(directory, name))).ToList();

    /// <summary>
    /// Copies every tokenizer file <paramref name="from"/> has into <paramref name="to"/>, keeping any already there
    /// unless <paramref name="overwrite"/> (a directory rewritten in place, such as a demo run's model/).
    /// </summary>
    /// <returns>The names copied.</returns>
    public static IReadOnlyList<string> Copy(string from, string to, bool overwrite = false)
    {
        var copied = new List<string>();
        foreach (var name in Required.Concat(Optional))
        {
            string src = Path.Combine(from, name), dst = Path.Combine(to, name);
            if (!File.Exists(src) || (!overwrite && File.Exists(dst))) continue;
            File.Copy(src, dst, overwrite);
            copied.Add(name);
        }
        return copied;
    }
}
