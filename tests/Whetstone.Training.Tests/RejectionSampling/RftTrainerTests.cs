using System.Text.Json.Nodes;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Whetstone.Training.RejectionSampling;
using Whetstone.Training.Sft;

namespace Whetstone.Training.Tests.RejectionSampling;

public sealed class RftTrainerTests
{
    /// <summary>A policy whose every call fails, as a dead model server would.</summary>
    private sealed class BrokenPolicy : IPolicy
    {
        public Task<PolicyResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, PolicyOptions? options = null,
            CancellationToken cancellationToken = default) => throw new HttpRequestException("503 Service Unavailable");
    }

    [Fact]
    public async Task Keeps_deduplicated_successes_drops_failures_and_infrastructure_errors_and_logs_stage_rft()
    {
        using var start = new CalcStart(trainTasks: 60, vocabSize: 400, hidden: 32, layers: 1);
        var factory = start.Factory;
        // Samples 0 and 3: the scripted expert (succeeds, identically); 1: a broken server; 2: the random policy (fails).
        var sampler = PolicySource.PerEpisode((env, episode) => episode.SampleIndex switch
        {
            1 => new BrokenPolicy(),
            2 => new RandomPolicy(episode.Seed),
            _ => factory.CreateExpert(env),
        }, "fake");
        var dir = Path.Combine(Path.GetTempPath(), $"whet-rft-{Guid.NewGuid():N}");
        try
        {
            var tasks = factory.Tasks(DataSplit.Train, 6);
            var trainer = new RftTrainer(start.Model, start.Corpus.Chat, factory, new RftConfig
            {
                OutputDir = dir, Rounds = 2, SamplesPerTask = 4, EvalTasks = 2, MaxTokensPerTurn = 8, MaxTurns = 4,
                Sft = new SftConfig { MaxSteps = 2, LearningRate = 1e-3f, MaxSequencesPerMicroBatch = 4 },
            }, sampler);
            var result = await trainer.RunAsync(tasks);

            var r1 = result.Rounds[0];
            Assert.Equal(24, r1.Sampled);
            Assert.Equal(6, r1.InfrastructureErrors);
            Assert.Equal(12, r1.Successes);                 // samples 0 and 3 of each task
            Assert.Equal(6, r1.Kept);                       // … identical, so one per task
            Assert.Equal(6, r1.TasksSolved);
            Assert.Equal(2, r1.SftSteps);
            var r2 = result.Rounds[1];
            Assert.Equal(0, r2.Kept);                       // round 2 finds the same solutions: all duplicates of round 1
            Assert.Equal(6, r2.DatasetSize);                // mixing keeps round 1's data
            Assert.Equal(2, r2.SftSteps);
            Assert.All(result.Kept, t => Assert.True(t.Success == true && t.Status != EpisodeStatus.InfrastructureError));
            Assert.Equal(6, result.Kept.Select(t => t.TaskId).Distinct().Count());

            // Run directory: metrics (stage rft, steps 1..4), evals (rounds 0, 1, 2), trajectories, config.
            var metrics = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal([1L, 2, 3, 4], metrics.Select(m => (long)m["step"]!));
            Assert.All(metrics, m => Assert.Equal("rft", (string)m["stage"]!));
            Assert.Equal(6.0, (double)metrics[1]["infra_errors"]!);
            Assert.Equal(6.0, (double)metrics[1]["kept"]!);
            var evals = File.ReadAllLines(Path.Combine(dir, "eval.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal([0, 1, 2], evals.Select(e => (int)e["round"]!));
            Assert.Equal([0L, 2, 4], evals.Select(e => (long)e["step"]!));
            Assert.All(evals, e => Assert.Equal("rft", (string)e["stage"]!));
            Assert.Equal(24, File.ReadAllLines(Path.Combine(dir, "trajectories", "round-01.jsonl")).Length);
            Assert.True(File.Exists(Path.Combine(dir, "config.json")));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task A_round_with_nothing_kept_trains_nothing()
    {
        using var start = new CalcStart(trainTasks: 30, vocabSize: 400, hidden: 32, layers: 1);
        var before = start.Model.Parameters[0].Value.ToArray();
        var trainer = new RftTrainer(start.Model, start.Corpus.Chat, start.Factory, new RftConfig
        {
            Rounds = 1, SamplesPerTask = 2, EvalTasks = 0, Sft = new SftConfig { MaxSteps = 2 },
        }, PolicySource.PerEpisode((_, _) => new BrokenPolicy()));
        var result = await trainer.RunAsync(start.Factory.Tasks(DataSplit.Train, 3));
        Assert.Equal(6, result.Rounds[0].InfrastructureErrors);
        Assert.Equal(0, result.Rounds[0].SftSteps);
        Assert.Empty(result.Kept);
        Assert.Equal(before, start.Model.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void Config_errors_name_the_field()
    {
        var e = Assert.Throws<ArgumentException>(() => new RftConfig { SamplesPerTask = 0 }.Validate());
        Assert.Contains("SamplesPerTask", e.Message);
        e = Assert.Throws<ArgumentException>(() => new RftConfig { Sft = new SftConfig { LearningRate = 0 } }.Validate());
        Assert.Contains("LearningRate", e.Message);
    }
}
