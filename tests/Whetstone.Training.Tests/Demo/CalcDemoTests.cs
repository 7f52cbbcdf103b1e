using System.Text.Json.Nodes;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Demo;

namespace Whetstone.Training.Tests.Demo;

/// <summary>
/// The demo pipeline end to end at a toy size (seconds): it checks the run directory it writes, not what the model
/// learns (the SFT and GRPO learning tests cover that).
/// </summary>
public sealed class CalcDemoTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"whet-demo-{Guid.NewGuid():N}");

    private DemoOptions Tiny() => new()
    {
        OutputDir = _dir, ExpertTasks = 12, VocabSize = 320, Hidden = 32, Layers = 1, SftSteps = 4, SftBatch = 4,
        GrpoSteps = 1, GrpoTasksPerStep = 2, GrpoGroupSize = 2, EvalTasks = 4, MaxTurns = 3, MaxTokensPerTurn = 16,
        SamplesPerStage = 2, ShowProgress = false, SftStopAtSuccess = 1, SftMinSteps = 2, SftCheckEvery = 1, ValidationTasks = 2,
    };

    [Fact]
    public async Task Tiny_run_writes_a_loadable_hf_checkpoint_and_the_report_contract()
    {
        var log = new StringWriter();
        var result = await CalcDemo.RunAsync(Tiny(), log);

        // Stage banners on the log; the four rows in table order.
        Assert.Contains("1/5 expert", log.ToString());
        Assert.Contains("5/5 evaluating", log.ToString());
        Assert.Equal(["random", "SFT", "SFT+GRPO", "expert"], result.Rows.Select(r => r.Policy));
        Assert.All(result.Rows, r => Assert.Equal(4, r.Report.Episodes));
        Assert.Equal(1.0, result.Rows[3].Report.SuccessRate); // the scripted expert solves calc
        Assert.Contains("SFT+GRPO", CalcDemo.FormatTable(result.Rows));

        // A Hugging Face directory that loads, with the tokenizer beside it.
        foreach (var name in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(result.ModelDir, name)), name);
        using (var model = TransformerModel.Load(result.ModelDir))
        {
            var chat = ChatFormatter.FromDirectory(result.ModelDir);
            Assert.Equal(chat.Tokenizer.VocabSize, model.Config.VocabSize);
            Assert.Equal(result.Parameters, model.Parameters.ElementCount);
        }

        // summary.json: all four policies with CIs.
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "summary.json")))!;
        var results = summary["results"]!.AsArray();
        Assert.Equal(["random", "SFT", "SFT+GRPO", "expert"], results.Select(r => (string)r!["policy"]!));
        Assert.All(results, r =>
        {
            Assert.NotNull(r!["ci_low"]);
            Assert.NotNull(r["ci_high"]);
            Assert.NotNull(r["success_rate"]);
        });

        // metrics.jsonl: one line per SFT step and per GRPO step, each with its stage.
        var metrics = File.ReadAllLines(Path.Combine(_dir, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(4, metrics.Count(m => (string?)m["stage"] == "sft"));
        Assert.Equal(1, metrics.Count(m => (string?)m["stage"] == "grpo"));
        Assert.All(metrics, m => Assert.NotNull(m["step"]));

        var evals = File.ReadAllLines(Path.Combine(_dir, "eval.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Contains(evals, e => (string?)e["stage"] == "sft");
        // The SFT stop rule was checked on validation tasks at steps 2 and 3 (never reached: the threshold is 100%).
        Assert.Equal([2L, 3L], evals.Where(e => (string?)e["stage"] == "sft validation").Select(e => (long)e!["step"]!));
        Assert.All(evals.Where(e => (string?)e["stage"] == "sft validation"), e => Assert.Equal(2, (int)e!["episodes"]!));
        Assert.Contains("step 2: validation success", log.ToString());
        Assert.Contains(evals, e => (string?)e["stage"] == "grpo");

        var samples = File.ReadAllLines(Path.Combine(_dir, "samples.jsonl"));
        Assert.InRange(samples.Length, 1, 4);
        Assert.True(File.Exists(Path.Combine(_dir, "config.json")));

        var html = File.ReadAllText(result.ReportPath);
        Assert.Equal(Path.Combine(_dir, "report.html"), result.ReportPath);
        Assert.Contains("id=\"chart-loss\"", html);
        Assert.Contains("id=\"chart-eval-success\"", html);
        Assert.Contains("SFT+GRPO", html);
    }

    [Fact]
    public void Validate_names_the_bad_field()
    {
        var e = Assert.Throws<ArgumentException>(() => (Tiny() with { GrpoGroupSize = 1 }).Validate());
        Assert.Contains("GrpoGroupSize", e.Message);
        Assert.Throws<ArgumentException>(() => (Tiny() with { Hidden = 48 }).Validate());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
