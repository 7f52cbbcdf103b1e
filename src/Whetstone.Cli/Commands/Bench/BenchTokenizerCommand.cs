using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Whetstone.Models.Tokenization;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// <c>whet bench tokenizer [--tokenizer DIR] [--mb N] [--reps N] [--json]</c>: single-thread encoding
/// speed on a few MB of mixed text (English, code, JSON tool calls, CJK, emoji, numbers). Reports the
/// median MB/s with a cold word cache (fresh tokenizer per repetition) and a warm one, beside a bare
/// .NET regex split of the same text as the in-run reference.
/// </summary>
public static class BenchTokenizerCommand
{
    static readonly string[] Snippets =
    [
        "The quick brown fox jumps over the lazy dog. ",
        "Tom has 12 apples and buys 35 more; how many apples does he have now? ",
        "def fibonacci(n):\n    if n < 2:\n        return n\n    return fibonacci(n - 1) + fibonacci(n - 2)\n",
        "public static int Add(int a, int b) => a + b; // C#\n",
        "{\"name\": \"calculator\", \"arguments\": {\"expr\": \"(17*23)+4\"}}\n",
        "<|im_start|>user\nWhat is the weather in Paris?<|im_end|>\n<|im_start|>assistant\n",
        "你好，世界！今天天气很好，我们去公园散步吧。",
        "日本語のテキストとカタカナ、ひらがなを混ぜた文章です。",
        "한국어 문장도 조금 넣어 봅니다. ",
        "Привет, как дела? Всё хорошо. ",
        "😀 👩‍💻 🇫🇷 🚀✨ emoji in between 🎉 ",
        "3.14159 2026-11-21T23:59:59Z 1,000,000 0x1F -42 ",
        "https://example.com/search?q=tokenizer&lang=en#results ",
        "    indented line with trailing spaces    \n\n",
    ];

    /// <summary>Builds the <c>bench tokenizer</c> sub-verb.</summary>
    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer")
        {
            Description = "Directory with tokenizer.json (default: the Qwen3 test fixture, run from the repository root)",
            DefaultValueFactory = _ => Path.Combine("tests", "Whetstone.Models.Tests", "Fixtures", "qwen3"),
        };
        var mb = new Option<double>("--mb") { Description = "Megabytes (UTF-8) of text to encode", DefaultValueFactory = _ => 4 };
        var reps = new Option<int>("--reps") { Description = "Repetitions; the median is reported", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var cmd = new Command("tokenizer", "Tokenizer encoding speed (MB/s, one thread). Example: whet bench tokenizer --json");
        cmd.Options.Add(tokenizer);
        cmd.Options.Add(mb);
        cmd.Options.Add(reps);
        cmd.Options.Add(json);
        cmd.SetAction(parse =>
        {
            string dir = parse.GetValue(tokenizer)!;
            int repetitions = Math.Max(1, parse.GetValue(reps));
            string text = MixedText((int)(parse.GetValue(mb) * 1_000_000), seed: 1);
            double megabytes = Encoding.UTF8.GetByteCount(text) / 1e6;
            var documents = text.Split("\n\n"); // encode document by document, as data preparation does

            Tokenizer tok;
            try { tok = Tokenizer.Load(dir); }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                Console.Error.WriteLine($"bench tokenizer: {e.Message}");
                return 1;
            }
            long tokens = 0;
            var cold = new List<double>();
            var warm = new List<double>();
            var regexOnly = new List<double>();
            // Reference: Qwen's split regex as plain .NET (UTF-16 semantics), no added tokens, no NFC, no BPE.
            var split = new Regex(@"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+", RegexOptions.Compiled);
            for (int r = 0; r < repetitions; r++)
            {
                var fresh = Tokenizer.Load(dir); // empty word cache
                cold.Add(megabytes / Time(() => tokens = Encode(fresh, documents)));
                warm.Add(megabytes / Time(() => Encode(fresh, documents)));
                regexOnly.Add(megabytes / Time(() => { long n = 0; foreach (var d in documents) n += split.Count(d); return n; }));
            }
            double coldMedian = Median(cold), warmMedian = Median(warm), regexMedian = Median(regexOnly);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    benchmark = "tokenizer",
                    tokenizer = tok.Source,
                    megabytes = Math.Round(megabytes, 3),
                    tokens,
                    repetitions,
                    encode_cold_mb_per_s = Math.Round(coldMedian, 2),
                    encode_warm_mb_per_s = Math.Round(warmMedian, 2),
                    regex_split_mb_per_s = Math.Round(regexMedian, 2),
                    cold_vs_regex_split = Math.Round(coldMedian / regexMedian, 3),
                }));
            }
            else
            {
                Console.Out.WriteLine($"tokenizer {tok.Source}: {megabytes:F2} MB mixed text, {tokens} tokens, median of {repetitions}, one thread");
                Console.Out.WriteLine($"  encode, cold word cache : {coldMedian,8:F2} MB/s");
                Console.Out.WriteLine($"  encode, warm word cache : {warmMedian,8:F2} MB/s");
                Console.Out.WriteLine($"  reference: plain .NET regex split only (Qwen pattern): {regexMedian:F2} MB/s (cold encode = {coldMedian / regexMedian:F2}x)");
            }
            return 0;
        });
        return cmd;
    }

    static long Encode(Tokenizer tok, string[] documents)
    {
        long n = 0;
        foreach (var d in documents) n += tok.Encode(d, addSpecialTokens: false).Length;
        return n;
    }

    static double Time(Func<long> work)
    {
        var sw = Stopwatch.StartNew();
        GC.KeepAlive(work());
        return sw.Elapsed.TotalSeconds;
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// Snippets in random order, interleaved with random identifiers, numbers and CJK so that many words
    /// are new to the word cache (real corpora have long tails); documents separated by blank lines.
    /// </summary>
    internal static string MixedText(int utf8Bytes, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder();
        int bytes = 0;
        while (bytes < utf8Bytes)
        {
            string part = rng.Next(4) switch
            {
                0 => RandomWord(rng) + (rng.Next(3) == 0 ? "_" + RandomWord(rng) : "") + " ",
                1 => rng.Next(1_000_000).ToString() + (rng.Next(2) == 0 ? "." + rng.Next(100) : "") + " ",
                2 => string.Concat(Enumerable.Range(0, 1 + rng.Next(6)).Select(_ => (char)(0x4E00 + rng.Next(0x5000)))),
                _ => Snippets[rng.Next(Snippets.Length)],
            };
            if (rng.Next(40) == 0) part += "\n\n";
            sb.Append(part);
            bytes += Encoding.UTF8.GetByteCount(part);
        }
        return sb.ToString();
    }

    static string RandomWord(Random rng)
    {
        const string letters = "etaoinshrdlucmfwypvbgkjqxz";
        var chars = new char[2 + rng.Next(9)];
        for (int i = 0; i < chars.Length; i++) chars[i] = letters[Math.Min(letters.Length - 1, (int)(rng.NextDouble() * rng.NextDouble() * letters.Length))];
        if (rng.Next(5) == 0) chars[0] = char.ToUpperInvariant(chars[0]);
        return new string(chars);
    }
}
