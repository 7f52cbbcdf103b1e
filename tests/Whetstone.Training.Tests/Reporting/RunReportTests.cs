using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;
using Whetstone.Training.Reporting;
using static Whetstone.Training.Tests.Reporting.TempRunDirectory;

namespace Whetstone.Training.Tests.Reporting;

public sealed class RunReportTests : IDisposable
{
    private readonly TempRunDirectory _run = new();
    private static readonly ReportOptions Fixed = new() { GeneratedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), SamplesPerOutcome = 2 };

    public void Dispose() => _run.Dispose();

    /// <summary>30 SFT steps with loss; 50 GRPO steps with loss, reward ± std, KL, response length and lr.</summary>
    private void WriteMetrics()
    {
        var lines = new List<string>();
        for (var s = 1; s <= 30; s++) lines.Add(MetricsLine(s, "sft", ("loss", 2.0 / s), ("lr", 1e-4)));
        for (var s = 1; s <= 50; s++)
        {
            lines.Add(MetricsLine(s, "grpo", ("loss", 0.01 * s), ("reward_mean", s / 50.0), ("reward_std", 0.1),
                ("kl", 0.001 * s), ("response_length", 100 + s), ("lr", 1e-6)));
        }
        _run.WriteLines("metrics.jsonl", lines);
    }

    private void WriteEvals()
    {
        // Four SFT evaluations in eval.jsonl, three GRPO ones as evals/*.json.
        _run.WriteLines("eval.jsonl", Enumerable.Range(0, 4).Select(i =>
            $"{{\"stage\":\"sft\",\"step\":{i * 10},\"env\":\"calc\",\"success_rate\":{0.1 * i},\"ci_low\":{0.05 * i},\"ci_high\":{0.15 * i + 0.05},\"mean_reward\":{0.1 * i}}}"));
        for (var i = 0; i < 3; i++)
            _run.WriteText($"evals/grpo-{i}.json", $"{{\"stage\":\"grpo\",\"step\":{i * 25},\"env\":\"calc\",\"success_rate\":{0.4 + 0.1 * i},\"ci_low\":0.3,\"ci_high\":0.7}}");
    }

    private void WriteSummary(string randomPolicyName = "random")
    {
        var results = new JsonArray
        {
            new JsonObject { ["policy"] = randomPolicyName, ["env"] = "calc", ["success_rate"] = 0.0, ["ci_low"] = 0.0, ["ci_high"] = 0.019, ["mean_reward"] = 0.0, ["episodes"] = 200, ["metrics"] = new JsonObject { ["regret"] = 9.8 } },
            new JsonObject { ["policy"] = "SFT", ["stage"] = "sft", ["env"] = "calc", ["success_rate"] = 0.41, ["ci_low"] = 0.34, ["ci_high"] = 0.48, ["mean_reward"] = 0.41, ["episodes"] = 200, ["pass_at_k"] = new JsonObject { ["1"] = 0.41, ["4"] = 0.6 } },
            new JsonObject { ["policy"] = "SFT+GRPO", ["stage"] = "grpo", ["env"] = "calc", ["success_rate"] = 0.79, ["ci_low"] = 0.73, ["ci_high"] = 0.84, ["mean_reward"] = 0.79, ["episodes"] = 200, ["metrics"] = new JsonObject { ["regret"] = 4.1 } },
            new JsonObject { ["policy"] = "expert", ["env"] = "maze", ["success_rate"] = 1.0, ["ci_low"] = 0.98, ["ci_high"] = 1.0, ["mean_reward"] = 1.0, ["episodes"] = 200, ["metrics"] = new JsonObject { ["path_efficiency"] = 0.75 } },
        };
        _run.WriteText("summary.json", new JsonObject { ["title"] = "calc run", ["results"] = results }.ToJsonString());
    }

    private void WriteFullRun()
    {
        WriteMetrics();
        WriteEvals();
        WriteSummary();
        // Three successes and four failures over two files; two of each are shown.
        _run.WriteTrajectories("samples.jsonl", [Episode("s1", true), Episode("f1", false, "41")]);
        _run.WriteTrajectories("trajectories/step-100.jsonl", [Episode("s2", true), Episode("f2", false), Episode("s3", true), Episode("f3", false), Episode("f4", false)]);
        _run.WriteText("config.json", "{\"lr\": 0.0001, \"method\": \"grpo\"}");
    }

    [Fact]
    public void Full_run_draws_every_chart_with_its_series_and_points()
    {
        WriteFullRun();
        var html = RunReport.Render(_run.Path, Fixed);

        Assert.Equal([("sft", 30, 30), ("grpo", 50, 50)], Series(Figure(html, "chart-loss")!));
        var reward = Figure(html, "chart-reward")!;
        Assert.Equal([("grpo", 50, 50)], Series(reward));
        Assert.Contains("class=\"band raw-band\"", reward);
        Assert.Contains("class=\"band ema-band\"", reward);
        Assert.Equal([("grpo", 50, 50)], Series(Figure(html, "chart-kl")!));
        Assert.Equal([("grpo", 50, 50)], Series(Figure(html, "chart-response-length")!));
        Assert.Equal([("sft", 30, 30), ("grpo", 50, 50)], Series(Figure(html, "chart-metric-lr")!));

        var success = Figure(html, "chart-eval-success")!;
        Assert.Equal([("sft", 4, 4), ("grpo", 3, 3)], Series(success));
        Assert.Equal(7, Regex.Matches(success, "<circle class=\"pt\"").Count);
        Assert.Equal(7, Regex.Matches(success, "<path d=\"M").Count); // one error bar per evaluation
        Assert.Equal([("sft", 4, 4)], Series(Figure(html, "chart-eval-reward")!)); // only SFT evaluations report mean_reward

        // Every smoothed training chart has one raw and one EMA line per series.
        var loss = Figure(html, "chart-loss")!;
        Assert.Equal(2, Regex.Matches(loss, "<polyline class=\"raw\"").Count);
        Assert.Equal(2, Regex.Matches(loss, "<polyline class=\"ema\"").Count);
        Assert.Contains("id=\"smooth\"", html);
        Assert.DoesNotContain("-missing\"", html);
    }

    [Fact]
    public void Polyline_has_one_coordinate_pair_per_drawn_point()
    {
        WriteMetrics();
        var loss = Figure(RunReport.Render(_run.Path, Fixed), "chart-loss")!;
        var first = Regex.Match(loss, "<polyline class=\"raw\" [^>]*points=\"([^\"]*)\"").Groups[1].Value;
        Assert.Equal(30, first.Split(' ').Length);
    }

    [Fact]
    public void Tables_list_each_policy_and_each_environment()
    {
        WriteFullRun();
        var html = RunReport.Render(_run.Path, Fixed);
        Assert.Equal(4, TableRows(html, "table-summary"));
        Assert.Equal(3, TableRows(html, "table-env-calc"));
        Assert.Equal(1, TableRows(html, "table-env-maze"));
        Assert.Contains("0.410 <span class=\"ci\">[0.340, 0.480]</span>", html);
        Assert.Contains("<th class=\"num\">pass@4</th>", html);
        Assert.Contains("<title>calc run</title>", html);
    }

    [Fact]
    public void Transcripts_show_the_requested_successes_then_failures()
    {
        WriteFullRun();
        var html = RunReport.Render(_run.Path, Fixed);
        var ids = Regex.Matches(html, "<details class=\"transcript (ok|fail)\" id=\"sample-\\d+\">").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["ok", "ok", "fail", "fail"], ids);
        Assert.Contains("<code>s1</code>", html);
        Assert.Contains("<code>s2</code>", html);
        Assert.DoesNotContain("<code>s3</code>", html);
        Assert.Contains("trajectories/step-100.jsonl:1", html);
        // Tool-call arguments are pretty-printed (indented JSON), observations shown with their tool name.
        Assert.Contains("{\n  &quot;expression&quot;: &quot;6*7&quot;\n}", html);
        Assert.Contains("tool · calculator", html);
    }

    [Fact]
    public void Hostile_strings_from_every_source_are_escaped()
    {
        const string evil = "</script><script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>";
        _run.WriteLines("metrics.jsonl", [MetricsLine(1, evil, ("loss", 1), (evil, 2)), MetricsLine(2, evil, ("loss", 0.5), (evil, 1))]);
        _run.WriteLines("eval.jsonl", [$"{{\"stage\":{Quote(evil)},\"step\":1,\"success_rate\":0.5,\"env\":{Quote(evil)}}}"]);
        _run.WriteText("summary.json", $"{{\"title\":{Quote(evil)},\"results\":[{{\"policy\":{Quote(evil)},\"env\":{Quote(evil)},\"success_rate\":0.5,\"metrics\":{{{Quote(evil)}:1}}}}]}}");
        var hostile = new Trajectory
        {
            Id = evil,
            Environment = evil,
            Success = false,
            StatusDetail = evil,
            Steps =
            [
                new ObservationStep(Observation.System(evil)),
                new ObservationStep(Observation.User(evil)),
                new ActionStep(new AgentAction
                {
                    Content = evil,
                    Reasoning = evil,
                    ToolCalls = [new ToolCall(evil, evil, "{\"x\":" + Quote(evil) + "}"), new ToolCall("c2", "t", evil)],
                    MalformedToolCalls = [new MalformedToolCall(evil, evil)],
                    Code = new CodeBlock(evil, evil),
                }),
                new ObservationStep(Observation.Tool(evil, evil, evil, isError: true)),
                new ObservationStep(new Observation { Source = ObservationSource.Tool, Content = "{\"a\":" + Quote(evil) + "}", IsJson = true }),
            ],
            Metrics = new Dictionary<string, double> { [evil] = 1 },
        };
        _run.WriteTrajectories("samples.jsonl", [hostile]);
        _run.WriteText("recipe.yaml", "name: " + evil);

        var html = RunReport.Render(_run.Path, Fixed with { Title = null });

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<svg onload", html, StringComparison.OrdinalIgnoreCase);
        // Data may sit inside quoted attribute values (escaped, so it cannot close the quote); outside them, no tag
        // may carry an event handler.
        foreach (Match tag in Regex.Matches(html, "<[a-zA-Z][^>]*>"))
        {
            var outsideValues = Regex.Replace(tag.Value, "\"[^\"]*\"", "\"\"");
            Assert.DoesNotContain("onerror", outsideValues, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onload", outsideValues, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;", html);
        Assert.Contains("<details class=\"transcript fail\" id=\"sample-1\">", html);
        Assert.Contains("Content-Security-Policy", html);
    }

    private static string Quote(string s) => JsonValue.Create(s)!.ToJsonString();

    [Fact]
    public void Empty_directory_reports_every_piece_as_not_available()
    {
        var html = RunReport.Render(_run.Path, Fixed);
        Assert.DoesNotContain("<figure", html);
        foreach (var id in new[] { "chart-loss", "chart-reward", "chart-kl", "chart-response-length", "chart-eval-success", "table-summary", "samples" })
            Assert.Contains($"id=\"{id}-missing\">", html);
        Assert.Contains("metrics.jsonl</code></td><td>not available", html);
        Assert.DoesNotContain("id=\"smooth\"", html);
    }

    [Fact]
    public void Chart_whose_field_is_absent_is_omitted_with_a_note()
    {
        _run.WriteLines("metrics.jsonl", [MetricsLine(1, null, ("loss", 1)), MetricsLine(2, null, ("loss", 0.8))]);
        var html = RunReport.Render(_run.Path, Fixed);
        Assert.Equal([("train", 2, 2)], Series(Figure(html, "chart-loss")!));
        Assert.Null(Figure(html, "chart-kl"));
        Assert.Contains("id=\"chart-kl-missing\">KL divergence to the reference policy: not available (no &quot;kl&quot; field in metrics.jsonl).", html);
    }

    [Fact]
    public void Non_finite_values_are_left_out_and_counted_and_counters_get_no_chart()
    {
        // The metrics log writes NaN/Infinity as strings; epoch, tokens and time_s only grow with the step.
        _run.WriteLines("metrics.jsonl",
        [
            "{\"step\":1,\"epoch\":0.1,\"tokens\":100,\"time_s\":1.5,\"loss\":2.0,\"grad_norm\":1.0}",
            "{\"step\":2,\"epoch\":0.2,\"tokens\":200,\"time_s\":3.0,\"loss\":\"NaN\",\"grad_norm\":\"Infinity\"}",
            "{\"step\":3,\"epoch\":0.3,\"tokens\":300,\"time_s\":4.5,\"loss\":1.5,\"grad_norm\":\"-Infinity\"}",
        ]);
        var html = RunReport.Render(_run.Path, Fixed);
        var loss = Figure(html, "chart-loss")!;
        Assert.Equal([("train", 2, 2)], Series(loss));
        Assert.Contains("1 NaN/infinite loss value left out, first at step 2", loss);
        Assert.Equal([("train", 1, 1)], Series(Figure(html, "chart-metric-grad-norm")!));
        Assert.Contains("2 NaN/infinite grad_norm values left out", html);
        Assert.Null(Figure(html, "chart-metric-epoch"));
        Assert.Null(Figure(html, "chart-metric-tokens"));
        Assert.Null(Figure(html, "chart-metric-time-s"));
    }

    [Fact]
    public void Without_a_summary_the_latest_evaluation_per_stage_is_tabulated()
    {
        WriteEvals();
        var html = RunReport.Render(_run.Path, Fixed);
        Assert.Contains("id=\"table-summary-missing\"", html);
        Assert.Equal(2, TableRows(html, "table-latest-eval"));
    }

    [Fact]
    public void Long_series_are_down_sampled_and_say_so()
    {
        _run.WriteLines("metrics.jsonl", Enumerable.Range(1, 5000).Select(s => MetricsLine(s, "grpo", ("kl", Math.Sin(s / 100.0)))));
        var html = RunReport.Render(_run.Path, Fixed with { MaxPointsPerSeries = 500 });
        var kl = Figure(html, "chart-kl")!;
        Assert.Equal([("grpo", 5000, 500)], Series(kl));
        Assert.Contains("500 of 5,000 points drawn (LTTB)", kl);
    }

    [Fact]
    public void Malformed_metrics_line_fails_with_file_and_line()
    {
        var path = _run.File("metrics.jsonl");
        _run.WriteLines("metrics.jsonl", [MetricsLine(1, "sft", ("loss", 1)), MetricsLine(2, "sft", ("loss", 1)), "{\"step\": 3, \"loss\": 0.5", MetricsLine(4, "sft")]);
        var e = Assert.ThrowsAny<FormatException>(() => RunReport.Render(_run.Path, Fixed));
        Assert.StartsWith($"{path}:3: (line): not valid JSON", e.Message);

        _run.WriteLines("metrics.jsonl", [MetricsLine(1, "sft", ("loss", 1)), "{\"loss\": 0.5}"]);
        e = Assert.ThrowsAny<FormatException>(() => RunReport.Render(_run.Path, Fixed));
        Assert.Equal($"{path}:2: step: is required (a number)", e.Message);

        _run.WriteLines("metrics.jsonl", ["{\"step\": \"ten\"}"]);
        e = Assert.ThrowsAny<FormatException>(() => RunReport.Render(_run.Path, Fixed));
        Assert.Equal($"{path}:1: step: expected a number, found a string", e.Message);
    }

    [Fact]
    public void Malformed_eval_and_summary_files_name_file_line_and_field()
    {
        _run.WriteLines("eval.jsonl", ["{\"step\":1,\"success_rate\":0.5}", "{\"step\":2,\"success_rate\":\"high\"}"]);
        var e = Assert.ThrowsAny<FormatException>(() => RunReport.Render(_run.Path, Fixed));
        Assert.Equal($"{_run.File("eval.jsonl")}:2: success_rate: expected a number, found a string", e.Message);

        File.Delete(_run.File("eval.jsonl"));
        _run.WriteText("summary.json", "{\"results\":[{\"policy\":\"a\",\"success_rate\":1},{\"policy\":\"b\"}]}");
        e = Assert.ThrowsAny<FormatException>(() => RunReport.Render(_run.Path, Fixed));
        Assert.Equal($"{_run.File("summary.json")}: results[1].success_rate: is required (a number in [0, 1])", e.Message);

        _run.WriteText("summary.json", "{\n\"results\": [\n  {\"policy\": \"a\",}\n]}");
        e = Assert.ThrowsAny<FormatException>(() => RunReport.Render(_run.Path, Fixed));
        Assert.StartsWith($"{_run.File("summary.json")}:3: not valid JSON", e.Message);
    }

    [Fact]
    public void Malformed_sample_line_fails_with_file_and_line()
    {
        _run.WriteLines("samples.jsonl", ["not json"]);
        var e = Assert.ThrowsAny<FormatException>(() => RunReport.Render(_run.Path, Fixed));
        Assert.StartsWith($"{_run.File("samples.jsonl")}:1:", e.Message);
    }

    [Fact]
    public void Write_is_atomic_and_lists_drawn_and_omitted_charts()
    {
        WriteMetrics();
        var result = RunReport.Write(_run.Path, options: Fixed);
        Assert.Equal(_run.File("report.html"), result.OutputPath);
        Assert.Equal(new FileInfo(result.OutputPath).Length, result.Bytes);
        Assert.Contains("chart-loss", result.Charts);
        Assert.Contains(result.OmittedCharts, c => c.Id == "chart-eval-success");
        Assert.Equal(0, result.Transcripts);
        Assert.Empty(Directory.GetFiles(_run.Path, "*.tmp"));
        Assert.Equal(RunReport.Render(_run.Path, Fixed), File.ReadAllText(result.OutputPath));
    }

    [Fact]
    public void Missing_directory_and_bad_options_are_errors()
    {
        Assert.Throws<DirectoryNotFoundException>(() => RunReport.Render(_run.File("nope")));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunReport.Render(_run.Path, new ReportOptions { Smoothing = 1 }));
    }
}
