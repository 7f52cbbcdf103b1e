using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Models.Templates;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet template --tokenizer DIR --jsonl FILE</c>: renders each line (messages, tools,
/// add_generation_prompt, enable_thinking, chat_template_kwargs) with the tokenizer's chat template
/// and writes <c>{"rendered": …}</c> lines to stdout. With <c>--check</c> it compares against each
/// line's own <c>rendered</c> field instead and reports the pass count.
/// </summary>
public static class TemplateCommand
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the <c>template</c> verb.</summary>
    public static Command Create()
    {
        var tokenizer = new Option<DirectoryInfo>("--tokenizer") { Description = "Folder with tokenizer_config.json (and chat_template.jinja if the config has none)", Required = true };
        var jsonl = new Option<FileInfo>("--jsonl") { Description = "Input lines shaped like chat_cases.jsonl", Required = true };
        var check = new Option<bool>("--check") { Description = "Compare with each line's 'rendered' field and print a pass count instead of rendering" };
        var name = new Option<string?>("--template-name") { Description = "Pick a named chat template (default: tool_use when tools are given, else default)" };
        var raw = new Option<bool>("--raw-arguments") { Description = "Pass tool-call arguments given as JSON strings through unparsed (transformers' behaviour)" };
        var cmd = new Command("template", "Render chat templates like transformers' apply_chat_template. Example: whet template --tokenizer models/qwen3 --jsonl chat_cases.jsonl");
        foreach (var o in new Option[] { tokenizer, jsonl, check, name, raw }) cmd.Options.Add(o);
        cmd.SetAction(parse => Run(parse.GetValue(tokenizer)!, parse.GetValue(jsonl)!, parse.GetValue(check), parse.GetValue(name), parse.GetValue(raw)));
        return cmd;
    }

    private static int Run(DirectoryInfo tokenizerDir, FileInfo input, bool check, string? templateName, bool rawArguments)
    {
        ChatTemplate template;
        try
        {
            template = ChatTemplate.FromDirectory(tokenizerDir.FullName);
            template.ParseStringToolArguments = !rawArguments;
        }
        catch (Exception e) when (e is TemplateException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        if (!input.Exists)
        {
            Console.Error.WriteLine($"error: {input.FullName}: file not found");
            return 1;
        }

        int lineNumber = 0, cases = 0, passed = 0;
        foreach (var line in File.ReadLines(input.FullName))
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string where = $"{input}:{lineNumber}";
            JsonNode? node;
            ChatTemplateRequest request;
            try
            {
                node = JsonNode.Parse(line);
                request = ChatTemplateRequest.FromJson(node);
            }
            catch (JsonException e)
            {
                Console.Error.WriteLine($"error: {where}: invalid JSON: {e.Message}");
                return 2;
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"error: {where}: {e.Message}");
                return 2;
            }

            string rendered;
            try { rendered = template.Render(request, templateName); }
            catch (TemplateException e)
            {
                Console.Error.WriteLine($"error: {where}: template error: {e.Message}");
                return 1;
            }

            cases++;
            if (!check)
            {
                Console.Out.WriteLine("{\"rendered\":" + JsonSerializer.Serialize(rendered, Json) + "}");
                continue;
            }
            if (node?["rendered"] is not JsonValue expectedNode || !expectedNode.TryGetValue<string>(out var expected))
            {
                Console.Error.WriteLine($"error: {where}: field 'rendered': expected a string to check against");
                return 2;
            }
            if (expected == rendered) { passed++; continue; }
            int at = 0;
            while (at < expected.Length && at < rendered.Length && expected[at] == rendered[at]) at++;
            Console.Error.WriteLine($"mismatch: {where}: first difference at character {at}: expected {Snippet(expected, at)}, got {Snippet(rendered, at)}");
        }
        if (check)
        {
            Console.Out.WriteLine($"{passed}/{cases} cases render exactly");
            return passed == cases ? 0 : 1;
        }
        return 0;
    }

    private static string Snippet(string s, int at) => JsonSerializer.Serialize(s.Substring(at, Math.Min(40, s.Length - at)), Json);
}
