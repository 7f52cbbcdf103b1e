using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Training.Reporting;

/// <summary>
/// Writes an example run directory that follows the report contract, for trying <c>whet report</c> and for the
/// headless-browser check (<c>scripts/check-report.sh</c>). The training curves and the SFT / SFT+GRPO evaluations
/// are SYNTHETIC (seeded noise around plausible shapes, and the title says so); the random and expert rows of the
/// summary and the sample trajectories are real rollouts on the <c>calc</c> environment. One extra sample holds
/// hostile model output (<c>&lt;/script&gt;&lt;img onerror=…&gt;</c>) to show that transcripts escape it.
/// </summary>
public static class ExampleRun
{
    /// <summary>Writes the example into <paramref name="directory"/> (created if needed), deterministic for a given <paramref name="seed"/>.</summary>
    /// <param name="directory">Target run directory.</param>
    /// <param name="seed">Seed of the synthetic noise and of the rollouts.</param>
    /// <param name="grpoSteps">GRPO steps to log; above 1,000 the report down-samples.</param>
    public static async Task WriteAsync(string directory, int seed = 0, int grpoSteps = 3000)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        double Noise(double scale) => scale * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);

        const int sftSteps = 400;
        using (var metrics = AtomicFile.Create(Path.Combine(directory, "metrics.jsonl")))
        {
            for (var s = 1; s <= sftSteps; s++)
            {
                var lr = 2e-4 * Math.Min(1, s / 40.0) * 0.5 * (1 + Math.Cos(Math.PI * s / sftSteps));
                Line(metrics, new() { ["step"] = s, ["stage"] = "sft", ["loss"] = 1.9 * Math.Exp(-s / 90.0) + 0.32 + Noise(0.12),
                    ["lr"] = lr, ["grad_norm"] = 1.5 * Math.Exp(-s / 200.0) + 0.4 + Math.Abs(Noise(0.3)), ["tokens_per_s"] = 2100 + Noise(150) });
            }
            for (var s = 1; s <= grpoSteps; s++)
            {
                var progress = 1 / (1 + Math.Exp(-(s - grpoSteps * 0.35) / (grpoSteps * 0.1)));
                var reward = 0.25 + 0.6 * progress + Noise(0.1);
                Line(metrics, new() { ["step"] = s, ["stage"] = "grpo", ["loss"] = Noise(0.04), ["reward_mean"] = reward,
                    ["reward_std"] = 0.35 - 0.15 * progress + Noise(0.03), ["kl"] = 0.002 + 0.03 * progress + Math.Abs(Noise(0.006)),
                    ["response_length"] = 180 - 70 * progress + Noise(20), ["clip_fraction"] = Math.Abs(0.05 + Noise(0.03)),
                    ["entropy"] = 0.9 - 0.4 * progress + Noise(0.05), ["lr"] = 1e-6, ["tokens_per_s"] = 850 + Noise(80) });
            }
            metrics.Commit();
        }

        using (var evals = AtomicFile.Create(Path.Combine(directory, "eval.jsonl")))
        {
            for (var s = 0; s <= sftSteps; s += 50) EvalLine(evals, "sft", s, 0.05 + 0.35 * (1 - Math.Exp(-s / 120.0)), random);
            for (var s = 0; s <= grpoSteps; s += grpoSteps / 12)
                EvalLine(evals, "grpo", s, 0.38 + 0.45 / (1 + Math.Exp(-(s - grpoSteps * 0.35) / (grpoSteps * 0.1))), random);
            evals.Commit();
        }

        var factory = EnvironmentCatalog.Create("calc");
        var tasks = factory.Tasks(DataSplit.Test, 50);
        var expert = await new RolloutRunner(factory, PolicySource.Expert(factory), new RolloutOptions { Seed = seed }).RunAllAsync(tasks);
        var randomRuns = await new RolloutRunner(factory, PolicySource.Random(), new RolloutOptions { Seed = seed }).RunAllAsync(tasks);

        var results = new JsonArray
        {
            Row(TrajectoryEvaluator.Evaluate(randomRuns, "random", "test").ToJson(false), "random", null),
            SyntheticRow("SFT", "sft", 0.41, 200, random),
            SyntheticRow("SFT+GRPO", "grpo", 0.79, 200, random),
            Row(TrajectoryEvaluator.Evaluate(expert, "expert", "test").ToJson(false), "expert", null),
        };
        var summary = new JsonObject { ["title"] = "Example run: calc, SFT then GRPO (synthetic curves)", ["results"] = results };
        File.WriteAllText(Path.Combine(directory, "summary.json"), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var samples = expert.Take(2).Concat(randomRuns.Take(2)).Append(Hostile()).ToList();
        TrajectoryJsonl.Write(Path.Combine(directory, "samples.jsonl"), samples);

        var config = new JsonObject
        {
            ["note"] = "synthetic example written by ExampleRun",
            ["env"] = "calc",
            ["stages"] = new JsonArray(
                new JsonObject { ["method"] = "sft", ["steps"] = sftSteps, ["lr"] = 2e-4 },
                new JsonObject { ["method"] = "grpo", ["steps"] = grpoSteps, ["group_size"] = 8, ["kl_coef"] = 0.02 }),
        };
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void Line(AtomicFile file, JsonObject record)
    {
        file.Writer.Write(JsonlRecords.ToLine(record));
        file.Writer.Write('\n');
    }

    private static void EvalLine(AtomicFile file, string stage, int step, double p, Random random)
    {
        const int n = 100;
        var successes = Enumerable.Range(0, n).Count(_ => random.NextDouble() < p);
        var ci = WilsonScoreInterval.Compute(successes, n);
        Line(file, new JsonObject
        {
            ["stage"] = stage, ["step"] = step, ["env"] = "calc", ["episodes"] = n,
            ["success_rate"] = (double)successes / n, ["ci_low"] = ci.Low, ["ci_high"] = ci.High,
            ["mean_reward"] = (double)successes / n + 0.05 * (random.NextDouble() - 0.5),
        });
    }

    private static JsonObject Row(string reportJson, string policy, string? stage)
    {
        var o = JsonNode.Parse(reportJson)!.AsObject();
        o["policy"] = policy;
        if (stage is not null) o["stage"] = stage;
        return o;
    }

    private static JsonObject SyntheticRow(string policy, string stage, double p, int n, Random random)
    {
        var successes = (int)Math.Round(p * n);
        var ci = WilsonScoreInterval.Compute(successes, n);
        return new JsonObject
        {
            ["policy"] = policy, ["stage"] = stage, ["env"] = "calc", ["episodes"] = n,
            ["success_rate"] = (double)successes / n, ["ci_low"] = ci.Low, ["ci_high"] = ci.High,
            ["mean_reward"] = (double)successes / n, ["reward_std"] = Math.Sqrt(p * (1 - p)),
            ["mean_turns"] = 3.2 + random.NextDouble(), ["invalid_tool_call_rate"] = 0.08 * (1 - p),
            ["pass_at_k"] = new JsonObject { ["1"] = (double)successes / n },
            ["metrics"] = new JsonObject { ["tool_calls"] = 2.9, ["invalid_tool_calls"] = 0.1 * (1 - p) },
        };
    }

    /// <summary>A failed episode whose "model output" is an HTML/script injection attempt.</summary>
    private static Trajectory Hostile() => new()
    {
        Id = "adversarial-sample",
        TaskId = "calc-hostile",
        Environment = "calc",
        Reward = 0,
        Success = false,
        Steps =
        [
            new ObservationStep(Observation.System("You are a calculator agent. Use the tools.")),
            new ObservationStep(Observation.User("What is 6 * 7? (this sample's model output is hostile on purpose)")),
            new ActionStep(new AgentAction
            {
                Content = "</script><script>alert('xss')</script><img src=x onerror=\"alert(1)\">",
                ToolCalls = [new ToolCall("call_0", "calculator<b>", "{\"expression\":\"</pre><script>alert(2)</script>\"}")],
                MalformedToolCalls = [new MalformedToolCall("<tool_call>{\"name\": \"calc\", \"arguments\": <svg onload=alert(3)>", "arguments are not valid JSON")],
            }),
            new ObservationStep(Observation.Tool("call_0", "calculator<b>", "error: unknown tool 'calculator<b>'; available: calculator", isError: true)),
        ],
        Metadata = new JsonObject { ["note"] = "hostile strings for the escaping check" },
    };

}
