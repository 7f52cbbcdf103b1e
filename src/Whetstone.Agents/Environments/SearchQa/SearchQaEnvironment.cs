using System.Text;
using System.Text.Json;
using Whetstone.Agents.Tools;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Environments.SearchQa;

/// <summary>
/// Multi-hop question answering over a knowledge base generated for each task. Tools: <c>search(query)</c>, BM25
/// over the base's pages, and <c>answer(text)</c>, which ends the episode. Reward by exact match (or token F1, by
/// option); both are reported as metrics.
/// </summary>
public sealed class SearchQaEnvironment : IEnvironment
{
    internal const string SystemPrompt =
        "You answer questions about an unfamiliar world by searching its encyclopedia. Call search with the name of " +
        "a person, company, city or country to read its page. Questions need several searches: follow the facts " +
        "from page to page. When you know the answer, call answer with just the name, place or year.";

    private const string NoCallHint = "No tool call found. Call search to read a page, or answer to give the final answer.";

    private readonly SearchQaOptions _options;
    private readonly Func<Messages.ToolCall, string?> _refusal;
    private readonly ToolBox _tools;
    private KnowledgeWorld? _world;
    private Bm25Index? _index;
    private MultiHopQuestion? _question;
    private int _turns;
    private bool _done;
    private string? _given;

    /// <summary>Creates an environment with <paramref name="options"/>.</summary>
    public SearchQaEnvironment(SearchQaOptions options)
    {
        _options = options;
        _refusal = _ => _given is not null ? "the episode is over: an answer was already given" : null;
        _tools = new ToolBox()
            .Add(ToolDefinition.Create("search", "Search the encyclopedia; returns the best-matching pages.",
                """{"type":"object","properties":{"query":{"type":"string","description":"e.g. a name","minLength":1,"maxLength":200}},"required":["query"],"additionalProperties":false}"""),
                Search)
            .Add(ToolDefinition.Create("answer", "Give the final answer. Ends the episode.",
                """{"type":"object","properties":{"text":{"type":"string","description":"the answer: a name, place or year","maxLength":200}},"required":["text"],"additionalProperties":false}"""),
                Answer);
    }

    /// <inheritdoc />
    public string Name => SearchQaEnvironmentFactory.EnvironmentName;

    /// <summary>The question with its hops and gold answer; hidden from the agent, read by the expert.</summary>
    internal MultiHopQuestion Question => _question ?? throw new InvalidOperationException("Call ResetAsync before using the search-qa environment.");

    /// <inheritdoc />
    public ValueTask<EnvironmentReset> ResetAsync(EnvironmentTask task, CancellationToken cancellationToken = default)
    {
        (_world, _question) = TaskSplits.Generate(Name, task.Split, task.Seed,
            random =>
            {
                var world = KnowledgeWorld.Generate(random);
                return (world, MultiHopQuestionGenerator.Generate(world, random));
            },
            t => t.Item2.Text + "|" + t.Item2.Answer);
        _index = new Bm25Index(_world.Documents);
        _turns = 0;
        _done = false;
        _given = null;
        _tools.ResetCounts();
        return ValueTask.FromResult(new EnvironmentReset(
            [Observation.System(SystemPrompt), Observation.User(_question.Text)], _tools.Definitions));
    }

    /// <inheritdoc />
    public ValueTask<EnvironmentStep> StepAsync(AgentAction action, CancellationToken cancellationToken = default)
    {
        if (_question is null || _done)
            throw new InvalidOperationException("The search-qa episode is not running: call ResetAsync first.");
        _turns++;
        var observations = _tools.Dispatch(action, _refusal, static () => NoCallHint);

        _done = _given is not null || _turns >= _options.MaxTurns;
        if (!_done)
            return ValueTask.FromResult(new EnvironmentStep { Observations = observations });
        if (_given is null)
            observations.Add(new Observation { Source = ObservationSource.Environment, Content = "Out of turns: no answer was given." });

        double em = _given is null ? 0 : AnswerScoring.ExactMatch(_given, _question.Answer);
        double f1 = _given is null ? 0 : AnswerScoring.F1(_given, _question.Answer);
        var metrics = new Dictionary<string, double>(_tools.Counts.ToMetrics())
        {
            ["turns"] = _turns,
            ["em"] = em,
            ["f1"] = f1,
            ["hops"] = _question.Hops.Count,
        };
        return ValueTask.FromResult(new EnvironmentStep
        {
            Observations = observations,
            Reward = _options.RewardF1 ? f1 : em,
            Done = true,
            Success = em == 1,
            Metrics = metrics,
        });
    }

    private ToolResult Search(JsonElement arguments)
    {
        var query = arguments.GetProperty("query").GetString()!;
        var hits = _index!.Search(query, _options.ResultsPerSearch);
        if (hits.Count == 0)
            return ToolResult.Ok($"No pages match \"{query}\". Search for a name that appears in the question or in a page you read.");
        var text = new StringBuilder();
        foreach (var hit in hits)
            text.Append(text.Length == 0 ? "" : "\n").Append($"[{hit.Title}] {hit.Text}");
        return ToolResult.Ok(text.ToString());
    }

    private ToolResult Answer(JsonElement arguments)
    {
        _given = arguments.GetProperty("text").GetString()!;
        return ToolResult.Ok(AnswerScoring.ExactMatch(_given, Question.Answer) == 1
            ? $"\"{_given}\" is correct."
            : $"\"{_given}\" is wrong.");
    }
}
