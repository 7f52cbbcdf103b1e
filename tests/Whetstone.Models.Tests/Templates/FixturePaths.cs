namespace Whetstone.Models.Tests.Templates;

/// <summary>Locations of the test fixtures copied next to the test assembly.</summary>
internal static class FixturePaths
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Qwen3ChatCases => Path.Combine(Root, "qwen3", "chat_cases.jsonl");

    public static string Qwen3TokenizerConfig => Path.Combine(Root, "templates", "qwen3_tokenizer_config.json");

    public static string Template(string name) => Path.Combine(Root, "templates", name);
}
