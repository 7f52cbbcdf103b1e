using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Cli.Commands.Bench;

/// <summary>
/// <c>whet bench rollout</c>: environment steps per second of the rollout runner with each environment's scripted
/// expert, at 1 and 2 episodes in flight, against a bare sequential loop measured in the same run. Reports the
/// median over repetitions, per environment and over all environments. Example: <c>whet bench rollout --json</c>.
/// </summary>
public static class BenchRolloutCommand
{
    private const int MaxTurns = 10_000;

    /// <summary>Builds the <c>bench rollout</c> sub-verb.</summary>
    public static Command Create()
    {
        var command = new Command("rollout", "Environment steps/s of the rollout runner with scripted experts (1 and 2 in flight). Example: whet bench rollout --json");
        var episodes = new Option<int>("--episodes") { Description = "Episodes per environment and repetition.", DefaultValueFactory = _ => 2000 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repetitions (after one warm-up); the median is reported.", DefaultValueFactory = _ => 7 };
        var envs = new Option<string?>("--env") { Description = "Comma-separated environments (default: all)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table." };
        foreach (var o in new Option[] { episodes, repeats, envs, json })
            command.Options.Add(o);
        command.SetAction(async parse =>
        {
            int n = parse.GetValue(episodes), r = parse.GetValue(repeats);
            if (n < 1 || r < 1)
            {
                Console.Error.WriteLine("error: --episodes and --repeats must be at least 1.");
                return 2;
            }
            var names = parse.GetValue(envs)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? EnvironmentCatalog.All.Select(d => d.Name).ToArray();
            var factories = new List<IEnvironmentFactory>();
            foreach (var name in names)
            {
                try
                {
                    factories.Add(EnvironmentCatalog.Parse(name));
                }
                catch (ArgumentException e)
                {
                    Console.Error.WriteLine($"error: --env: {e.Message}");
                    return 2;
                }
            }
            var result = await MeasureAsync(factories, n, r);
            Console.WriteLine(parse.GetValue(json) ? result.ToJson() : result.ToTable());
            return result.InfrastructureErrors == 0 ? 0 : 1;
        });
        return command;
    }

    private static readonly string[] Configurations = ["direct", "runner-p1", "runner-p2"];

    private static async Task<BenchRolloutResult> MeasureAsync(IReadOnlyList<IEnvironmentFactory> factories, int episodes, int repeats)
    {
        // seconds[config][env][rep] and steps[env] (the same every repetition: experts are deterministic).
        var seconds = Configurations.ToDictionary(c => c, _ => factories.Select(_ => new List<double>()).ToArray());
        var steps = new long[factories.Count];
        int infraErrors = 0;
        for (int rep = -1; rep < repeats; rep++) // rep −1 warms up the JIT and is not recorded
        {
            for (int e = 0; e < factories.Count; e++)
            {
                var factory = factories[e];
                var tasks = factory.Tasks(DataSplit.Train, episodes);
                foreach (var config in Configurations)
                {
                    var clock = Stopwatch.StartNew();
                    long taken;
                    if (config == "direct")
                    {
                        taken = await BenchRolloutDirectLoop.RunAsync(factory, tasks, MaxTurns);
                    }
                    else
                    {
                        var runner = new RolloutRunner(factory, PolicySource.Expert(factory),
                            new RolloutOptions { MaxParallelism = config == "runner-p1" ? 1 : 2, MaxTurns = MaxTurns });
                        taken = 0;
                        await foreach (var t in runner.RunAsync(tasks))
                        {
                            if (t.Status == EpisodeStatus.InfrastructureError) infraErrors++;
                            foreach (var s in t.Steps) if (s is ActionStep) taken++;
                        }
                    }
                    clock.Stop();
                    if (rep < 0) continue;
                    seconds[config][e].Add(clock.Elapsed.TotalSeconds);
                    steps[e] = taken;
                }
            }
        }

        var rows = new List<BenchRolloutResult.Row>();
        for (int e = 0; e < factories.Count; e++)
            rows.Add(new BenchRolloutResult.Row(factories[e].Name, steps[e], Configurations.Select(c => steps[e] / Median(seconds[c][e])).ToArray()));
        // Overall: all environments' steps over their summed time, per repetition, then the median.
        long allSteps = steps.Sum();
        var overall = Configurations.Select(c => allSteps / Median(Enumerable.Range(0, repeats).Select(rep => seconds[c].Sum(perEnv => perEnv[rep])).ToList())).ToArray();
        rows.Add(new BenchRolloutResult.Row("overall", allSteps, overall));
        return new BenchRolloutResult(episodes, repeats, Environment.ProcessorCount, rows, infraErrors);
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private sealed record BenchRolloutResult(int Episodes, int Repeats, int Cores, IReadOnlyList<BenchRolloutResult.Row> Rows, int InfrastructureErrors)
    {
        public sealed record Row(string Env, long StepsPerRepetition, double[] StepsPerSecond);

        public string ToTable()
        {
            var ic = CultureInfo.InvariantCulture;
            var lines = new List<string>
            {
                $"bench rollout: scripted experts, {Episodes} episodes per env, median of {Repeats} repetitions, {Cores} cores",
                $"{"env",-10} {"steps",8} {"direct/s",12} {"runner p=1/s",14} {"runner p=2/s",14} {"p1/direct",10} {"p2/p1",7}",
            };
            foreach (var row in Rows)
            {
                var s = row.StepsPerSecond;
                lines.Add(string.Format(ic, "{0,-10} {1,8} {2,12:0} {3,14:0} {4,14:0} {5,10:0.00} {6,7:0.00}", row.Env, row.StepsPerRepetition, s[0], s[1], s[2], s[1] / s[0], s[2] / s[1]));
            }
            if (InfrastructureErrors > 0)
                lines.Add($"warning: {InfrastructureErrors} episodes ended in infrastructure errors");
            return string.Join(Environment.NewLine, lines);
        }

        public string ToJson()
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("benchmark", "rollout");
                w.WriteNumber("episodes_per_env", Episodes);
                w.WriteNumber("repeats", Repeats);
                w.WriteNumber("cores", Cores);
                w.WriteNumber("infra_errors", InfrastructureErrors);
                w.WriteStartObject("steps_per_second");
                foreach (var row in Rows)
                {
                    w.WriteStartObject(row.Env);
                    w.WriteNumber("steps", row.StepsPerRepetition);
                    for (int c = 0; c < Configurations.Length; c++)
                        w.WriteNumber(Configurations[c], Math.Round(row.StepsPerSecond[c], 1));
                    w.WriteNumber("runner_p1_over_direct", Math.Round(row.StepsPerSecond[1] / row.StepsPerSecond[0], 3));
                    w.WriteNumber("p2_over_p1", Math.Round(row.StepsPerSecond[2] / row.StepsPerSecond[1], 3));
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }
    }
}
