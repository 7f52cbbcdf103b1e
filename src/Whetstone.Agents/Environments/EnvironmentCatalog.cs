using System.Globalization;
using Whetstone.Agents.Environments.Bandit;
using Whetstone.Agents.Environments.Calc;
using Whetstone.Agents.Environments.Maze;
using Whetstone.Agents.Environments.SearchQa;
using Whetstone.Agents.Environments.TicTacToe;
using Whetstone.Agents.Environments.ToolApi;

namespace Whetstone.Agents.Environments;

/// <summary>
/// The built-in environments by name. <see cref="Create"/> builds a factory from a name and option values, checking
/// them; <see cref="Parse"/> reads the command-line form <c>name</c> or <c>name:key=value,key=value</c>
/// (e.g. <c>tictactoe:opponent=minimax</c>).
/// </summary>
public static class EnvironmentCatalog
{
    /// <summary>Every registered environment, in the order <c>whet envs</c> lists them.</summary>
    public static IReadOnlyList<EnvironmentDescriptor> All { get; } =
    [
        new(CalcEnvironmentFactory.EnvironmentName,
            "Arithmetic word problems (2-4 integer operations). Reward 1 for the exact answer.",
            ["calculator", "answer"],
            [
                EnvironmentOption.Choice("difficulty", "operations and number sizes", "easy", "easy", "medium", "hard"),
                EnvironmentOption.Integer("max_turns", "assistant turns before the episode ends", 10, 2, 100),
            ],
            o => new CalcEnvironmentFactory(new CalcOptions
            {
                Difficulty = Enum.Parse<CalcDifficulty>(o["difficulty"], ignoreCase: true),
                MaxTurns = Int(o, "max_turns"),
            })),
        new(BanditEnvironmentFactory.EnvironmentName,
            "K-armed Bernoulli bandit. Reward = total payoff; metrics regret and arms tried.",
            ["pull"],
            [
                EnvironmentOption.Integer("arms", "number of arms K", 5, 2, 20),
                EnvironmentOption.Integer("pulls", "number of pulls N", 30, 1, 1000),
            ],
            o => new BanditEnvironmentFactory(new BanditOptions { Arms = Int(o, "arms"), Pulls = Int(o, "pulls") })),
        new(TicTacToeEnvironmentFactory.EnvironmentName,
            "Tic-tac-toe as X; who starts alternates by seed. Win 1, draw 0.5, loss 0.",
            ["move"],
            [
                EnvironmentOption.Choice("opponent", "the O player", "random", "random", "minimax"),
                EnvironmentOption.Integer("max_turns", "assistant turns before the game counts as lost", 10, 5, 100),
            ],
            o => new TicTacToeEnvironmentFactory(new TicTacToeOptions
            {
                Opponent = Enum.Parse<TicTacToeOpponent>(o["opponent"], ignoreCase: true),
                MaxTurns = Int(o, "max_turns"),
            })),
        new(MazeEnvironmentFactory.EnvironmentName,
            "Partially observed maze (3x3 view). Reward 1 for reaching the goal within the move budget.",
            ["move"],
            [
                EnvironmentOption.Integer("size", "maze cells per side (grid is 2*size+1 squares)", 4, 2, 12),
                EnvironmentOption.Integer("expert_noise", "percent of the expert's moves made at random (recovery data)", 0, 0, 90),
                EnvironmentOption.Choice("reward", "goal: 1 or 0; progress: 0.5 x the distance closed when the goal is missed", "goal", "goal", "progress"),
            ],
            o => new MazeEnvironmentFactory(new MazeOptions
            {
                Size = Int(o, "size"), ExpertNoisePercent = Int(o, "expert_noise"), ProgressReward = o["reward"] == "progress",
            })),
        new(SearchQaEnvironmentFactory.EnvironmentName,
            "Multi-hop questions over a generated encyclopedia (BM25 search). Reward exact match, or F1 by option.",
            ["search", "answer"],
            [
                EnvironmentOption.Choice("reward", "exact match or token F1", "em", "em", "f1"),
                EnvironmentOption.Integer("max_turns", "assistant turns before the episode ends", 8, 2, 50),
            ],
            o => new SearchQaEnvironmentFactory(new SearchQaOptions { RewardF1 = o["reward"] == "f1", MaxTurns = Int(o, "max_turns") })),
        new(ToolApiEnvironmentFactory.EnvironmentName,
            "Everyday requests over 24 schema-typed tools; right tool, right arguments, then a reply. Reward 1 on success.",
            ToolApiCatalog.Create().Definitions.Select(d => d.Name).ToList(),
            [
                EnvironmentOption.Integer("max_turns", "assistant turns before the episode ends", 6, 2, 50),
                EnvironmentOption.Integer("tools", "tools on offer per task: the task's own plus seeded distractors (0: all 24)", 0, 0, 24),
            ],
            o => new ToolApiEnvironmentFactory(new ToolApiOptions { MaxTurns = Int(o, "max_turns"), ToolsOffered = Int(o, "tools") })),
    ];

    /// <summary>The registered environment called <paramref name="name"/>, or null.</summary>
    public static EnvironmentDescriptor? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Builds the factory of <paramref name="name"/> with <paramref name="options"/> (defaults for the rest).</summary>
    /// <exception cref="ArgumentException">Unknown environment or option, or a bad option value; the message says which.</exception>
    public static IEnvironmentFactory Create(string name, IReadOnlyDictionary<string, string>? options = null)
    {
        var descriptor = Find(name) ?? throw new ArgumentException(
            $"Unknown environment \"{name}\". Registered: {string.Join(", ", All.Select(d => d.Name))}.");
        var values = descriptor.Options.ToDictionary(o => o.Name, o => o.Default, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in options ?? new Dictionary<string, string>())
        {
            var option = descriptor.Options.FirstOrDefault(o => string.Equals(o.Name, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException(
                    $"Unknown option \"{key}\" for {descriptor.Name}. Options: {string.Join(", ", descriptor.Options.Select(o => o.Name))}.",
                    nameof(options));
            var problem = option.Check(value);
            if (problem is not null)
                throw new ArgumentException($"{descriptor.Name}: {problem}.");
            values[option.Name] = value.ToLowerInvariant();
        }
        return descriptor.Build(values);
    }

    /// <summary>
    /// Builds a factory from <c>name</c> or <c>name:key=value,key=value</c>, or connects to an environment server
    /// when <paramref name="spec"/> is an <c>http://</c> or <c>https://</c> URL (docs/http-environment.md).
    /// </summary>
    /// <exception cref="ArgumentException">The text is not of that form, or <see cref="Create"/> rejects it.</exception>
    public static IEnvironmentFactory Parse(string spec)
    {
        if (spec.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(spec, UriKind.Absolute, out var uri))
                throw new ArgumentException($"Environment URL \"{spec}\" is not a valid URL.", nameof(spec));
            var remote = new Http.HttpEnvironmentFactory(uri);
            remote.ConnectAsync().GetAwaiter().GetResult();
            return remote;
        }
        var colon = spec.IndexOf(':');
        var name = (colon < 0 ? spec : spec[..colon]).Trim();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (colon >= 0)
        {
            foreach (var pair in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=');
                if (equals <= 0)
                    throw new ArgumentException($"Environment option \"{pair}\" in \"{spec}\" must be key=value.");
                options[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
            }
        }
        return Create(name, options);
    }

    private static int Int(IReadOnlyDictionary<string, string> options, string name) =>
        int.Parse(options[name], NumberStyles.Integer, CultureInfo.InvariantCulture);
}
