using System.CommandLine;
using Whetstone.Cli.Progress;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Policies;

namespace Whetstone.Cli.Commands;

/// <summary>
/// <c>whet rollout</c>: runs a policy on an environment's tasks and writes the trajectories to a JSONL file as
/// episodes finish (SFT data from the scripted expert, or samples of a model). Example:
/// <c>whet rollout --env calc --policy expert --episodes 500 --split train --out data/calc-expert.jsonl</c>.
/// </summary>
public static class RolloutCommand
{
    /// <summary>Builds the <c>rollout</c> verb.</summary>
    public static Command Create()
    {
        var command = new Command("rollout", "Run a policy on an environment's tasks and write trajectories as JSONL. Example: whet rollout --env calc --policy expert --episodes 500 --split train --out calc.jsonl");
        var args = RolloutArguments.AddTo(command, defaultSplit: "train");
        var output = new Option<string>("--out") { Description = "JSONL file to write the trajectories to (replaced if it exists).", Required = true };
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!args.TryBuild(parse, out var run))
                return 2;
            var path = parse.GetValue(output)!;
            var trajectories = await ProgressDisplay.RunAsync(async display =>
            {
                var progress = display.Episodes("rollout", run.Runner.Plan(run.Tasks).Count);
                try
                {
                    await using var writer = new TrajectoryJsonlWriter(path, append: false);
                    return await run.Runner.RunAllAsync(run.Tasks, async (trajectory, ct) =>
                    {
                        await writer.WriteAsync(trajectory, ct);
                        progress.Add(trajectory);
                    }, cancellationToken);
                }
                finally
                {
                    progress.Finish();
                }
            });
            Console.Error.WriteLine($"wrote {trajectories.Count} trajectories to {Path.GetFullPath(path)}");
            return RolloutArguments.ReportInfrastructureErrors(trajectories);
        });
        return command;
    }
}

/// <summary>The options <c>whet rollout</c> and <c>whet eval</c> share, and how they become a <see cref="RolloutRunner"/>.</summary>
internal sealed class RolloutArguments
{
    private Option<string> Env { get; init; } = null!;
    private Option<string> Policy { get; init; } = null!;
    private Option<int> Episodes { get; init; } = null!;
    private Option<string> Split { get; init; } = null!;
    private Option<int> Offset { get; init; } = null!;
    private Option<int> Samples { get; init; } = null!;
    private Option<int> Parallel { get; init; } = null!;
    private Option<int> Seed { get; init; } = null!;
    private Option<int> MaxTurns { get; init; } = null!;
    private Option<int?> MaxTokens { get; init; } = null!;
    private Option<double> Timeout { get; init; } = null!;
    private Option<float> Temperature { get; init; } = null!;

    /// <summary>A parsed command line: the runner, the tasks it runs and names for the report.</summary>
    public sealed record Run(RolloutRunner Runner, IReadOnlyList<EnvironmentTask> Tasks, string PolicyName, string Split, int Samples);

    public static RolloutArguments AddTo(Command command, string defaultSplit)
    {
        var a = new RolloutArguments
        {
            Env = new Option<string>("--env") { Description = $"Environment: {string.Join(", ", EnvironmentCatalog.All.Select(d => d.Name))}, optionally with settings as name:key=value,key=value.", Required = true },
            Policy = new Option<string>("--policy") { Description = "expert | random | local:DIR (a Whetstone/Hugging Face model directory with its tokenizer; episodes in flight are decoded as one batch) | openai:MODEL (server from WHET_OPENAI_BASE_URL / OPENAI_BASE_URL, key from OPENAI_API_KEY).", DefaultValueFactory = _ => "expert" },
            Episodes = new Option<int>("--episodes") { Description = "Number of tasks to run (each sampled --samples times).", DefaultValueFactory = _ => 100 },
            Split = new Option<string>("--split") { Description = "train | test.", DefaultValueFactory = _ => defaultSplit },
            Offset = new Option<int>("--offset") { Description = "Skip this many tasks of the split first.", DefaultValueFactory = _ => 0 },
            Samples = new Option<int>("--samples") { Description = "Samples per task (G); >1 also reports pass@k.", DefaultValueFactory = _ => 1 },
            Parallel = new Option<int>("--parallel") { Description = "Episodes in flight at once.", DefaultValueFactory = _ => Environment.ProcessorCount },
            Seed = new Option<int>("--seed") { Description = "Rollout seed; per-episode seeds derive from it.", DefaultValueFactory = _ => 0 },
            MaxTurns = new Option<int>("--max-turns") { Description = "Safety net: assistant turns before an episode is truncated (environments end episodes by their own budgets first).", DefaultValueFactory = _ => 256 },
            MaxTokens = new Option<int?>("--max-tokens") { Description = "Generated tokens per episode before it is truncated (default: no limit)." },
            Timeout = new Option<double>("--timeout") { Description = "Seconds a single policy or environment call may take before the episode counts as an infrastructure error.", DefaultValueFactory = _ => 120 },
            Temperature = new Option<float>("--temperature") { Description = "Sampling temperature for model policies.", DefaultValueFactory = _ => 1f },
        };
        foreach (var option in new Option[] { a.Env, a.Policy, a.Episodes, a.Split, a.Offset, a.Samples, a.Parallel, a.Seed, a.MaxTurns, a.MaxTokens, a.Timeout, a.Temperature })
            command.Options.Add(option);
        return a;
    }

    /// <summary>Builds the run, or writes what is wrong to stderr and returns false.</summary>
    public bool TryBuild(ParseResult parse, out Run run)
    {
        run = null!;
        IEnvironmentFactory factory;
        try
        {
            factory = EnvironmentCatalog.Parse(parse.GetValue(Env)!);
        }
        catch (ArgumentException e)
        {
            return Fail($"--env: {e.Message.Replace($" (Parameter '{e.ParamName}')", "")}");
        }
        var splitText = parse.GetValue(Split)!;
        if (!Enum.TryParse<DataSplit>(splitText, ignoreCase: true, out var split))
            return Fail($"--split: '{splitText}' is not train or test.");
        int episodes = parse.GetValue(Episodes), samples = parse.GetValue(Samples), parallel = parse.GetValue(Parallel);
        if (episodes < 1) return Fail("--episodes must be at least 1.");
        if (samples < 1) return Fail("--samples must be at least 1.");
        if (parallel < 1) return Fail("--parallel must be at least 1.");
        if (parse.GetValue(MaxTurns) < 1) return Fail("--max-turns must be at least 1.");
        if (parse.GetValue(MaxTokens) is < 1) return Fail("--max-tokens must be at least 1.");
        if (parse.GetValue(Timeout) <= 0) return Fail("--timeout must be positive.");

        var policySpec = parse.GetValue(Policy)!;
        var timeout = TimeSpan.FromSeconds(parse.GetValue(Timeout));
        if (!TryResolvePolicy(policySpec, factory, timeout, out var policies, out var stepTimeout, out var error))
            return Fail($"--policy: {error}");

        var options = new RolloutOptions
        {
            SamplesPerTask = samples,
            MaxParallelism = parallel,
            Seed = parse.GetValue(Seed),
            MaxTurns = parse.GetValue(MaxTurns),
            MaxGeneratedTokens = parse.GetValue(MaxTokens),
            StepTimeout = stepTimeout,
            Sampling = new SamplingOptions { Temperature = parse.GetValue(Temperature) },
        };
        var tasks = factory.Tasks(split, episodes, parse.GetValue(Offset));
        run = new Run(new RolloutRunner(factory, policies, options), tasks, policies.Name, split.ToString().ToLowerInvariant(), samples);
        return true;
    }

    // A remote policy times out each HTTP attempt itself and retries transient failures, so the runner's bound on the
    // whole call must cover every attempt and the back-off between them; scripted policies get the plain time-out.
    private static bool TryResolvePolicy(string spec, IEnvironmentFactory factory, TimeSpan timeout,
        out PolicySource policies, out TimeSpan stepTimeout, out string error)
    {
        policies = null!;
        stepTimeout = timeout;
        error = "";
        if (spec == "expert")
            policies = PolicySource.Expert(factory);
        else if (spec == "random")
            policies = PolicySource.Random();
        else if (spec.StartsWith("local:", StringComparison.Ordinal) && spec.Length > "local:".Length)
        {
            var dir = spec["local:".Length..];
            try
            {
                // Lives for the rest of the process (one evaluation per invocation); the decoder thread is a background thread.
                var model = TransformerModel.Load(dir);
                policies = PolicySource.Shared(new LocalPolicy(model, ChatFormatter.FromDirectory(dir)), spec);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or KeyNotFoundException)
            {
                error = $"{dir}: {e.Message}";
            }
        }
        else if (spec.StartsWith("openai:", StringComparison.Ordinal) && spec.Length > "openai:".Length)
        {
            try
            {
                var options = OpenAiCompatiblePolicyOptions.FromEnvironment(model: spec["openai:".Length..]) with { Timeout = timeout };
                policies = PolicySource.Shared(OpenAiCompatiblePolicy.CreateWithRetries(options,
                    (attempt, e, delay) => Console.Error.WriteLine($"retry {attempt} in {delay.TotalSeconds:0.0} s: {e.Message}")), spec);
                stepTimeout = timeout * (options.Retry.MaxRetries + 1) + options.Retry.MaxDelay * options.Retry.MaxRetries;
            }
            catch (ArgumentException e)
            {
                error = e.Message;
            }
        }
        else
            error = $"'{spec}' is not expert, random, local:DIR or openai:MODEL.";
        return policies is not null;
    }

    /// <summary>
    /// Says on stderr how many episodes ended in infrastructure errors and why the first did; returns the exit code:
    /// 1 when no episode could be scored at all, else 0.
    /// </summary>
    public static int ReportInfrastructureErrors(IReadOnlyList<Trajectory> trajectories)
    {
        var failed = trajectories.Where(t => t.Status == EpisodeStatus.InfrastructureError).ToList();
        if (failed.Count == 0)
            return 0;
        Console.Error.WriteLine($"warning: {failed.Count} of {trajectories.Count} episodes ended in infrastructure errors and are left out of the statistics; first: {failed[0].Id}: {failed[0].StatusDetail}");
        return failed.Count == trajectories.Count ? 1 : 0;
    }

    private static bool Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return false;
    }
}
