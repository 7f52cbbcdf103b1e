using System.Text.Json.Nodes;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Training.Checkpointing;
using Whetstone.Training.Grpo;
using Whetstone.Training.Tests.Policies;
using Whetstone.Training.Tests.Sft;

namespace Whetstone.Training.Tests.Grpo;

public sealed class GrpoTrainerTests(SmallCalcCorpus fixture) : IClassFixture<SmallCalcCorpus>
{
    private readonly CalcCorpus _corpus = fixture.Corpus;

    private TransformerModel NewModel(ulong seed = 1) =>
        TransformerModel.Create(ModelShapes.Tiny(_corpus.Chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 2048 }, seed);

    /// <summary>Small, fast settings: 2 tasks × G = 3 episodes of at most 2 turns of 12 tokens.</summary>
    private static GrpoConfig Small(string? outputDir = null) => new()
    {
        MaxSteps = 2, TasksPerStep = 2, GroupSize = 3, TrainTasks = 20, MaxTokensPerTurn = 12, MaxTurns = 2,
        MaxEpisodeTokens = 64, LearningRate = 1e-3f, Beta = 0f, WeightDecay = 0f, SkipZeroVarianceGroups = false,
        MaxLength = 1024, Seed = 5, OutputDir = outputDir, EvalTasks = 2,
    };

    private GrpoTrainer NewTrainer(TransformerModel model, GrpoConfig config) => new(model, _corpus.Chat, _corpus.Factory, config);

    /// <summary>Rollouts of the trainer's first step with their rewards replaced by <paramref name="rewards"/> (group by group).</summary>
    private static async Task<IReadOnlyList<IReadOnlyList<Trajectory>>> Groups(GrpoTrainer trainer, params double[][] rewards)
    {
        var groups = await trainer.RolloutAsync(trainer.TasksForStep(0), seed: 11);
        return groups.Select((g, i) => (IReadOnlyList<Trajectory>)g.Select((t, j) => t with { Reward = rewards[i][j], Success = rewards[i][j] > 0 }).ToList()).ToList();
    }

    private static float[][] Weights(TransformerModel model) => [.. model.Parameters.Select(p => p.Value.ToArray())];

    [Fact]
    public async Task Equal_rewards_give_a_zero_gradient_and_leave_the_weights_unchanged()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small());
        var before = Weights(model);
        var groups = await Groups(trainer, [1, 1, 1], [0.5, 0.5, 0.5]);

        var r = trainer.Step(groups, 1);

        Assert.Equal(1, r.Updates);                  // the groups were kept (SkipZeroVarianceGroups = false) and trained on
        Assert.True(r.Sequences > 0 && r.TrainedTokens > 0);
        Assert.Equal(0.0, r.GradNorm);               // A = 0 everywhere: exactly zero gradient on every parameter
        foreach (var p in trainer.TrainableParameters) Assert.All(p.Grad!.ToArray(), g => Assert.Equal(0f, g));
        var after = Weights(model);
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
    }

    [Fact]
    public async Task Unequal_rewards_move_the_weights()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small());
        var before = Weights(model);
        var r = trainer.Step(await Groups(trainer, [1, 0, 0], [0, 0, 1]), 1);
        Assert.Equal(1, r.Updates);
        Assert.True(r.GradNorm > 0);
        Assert.Contains(Enumerable.Range(0, before.Length), i => !before[i].SequenceEqual(Weights(model)[i]));
    }

    /// <summary>Σ log π(generated tokens) of each trajectory under <paramref name="model"/>, token-in/token-out.</summary>
    private double[] SequenceLogProbs(TransformerModel model, IEnumerable<Trajectory> trajectories)
    {
        var builder = new Whetstone.Training.Data.RolloutSequenceBuilder(_corpus.Chat, 1024);
        var sums = new List<double>();
        foreach (var t in trajectories)
        {
            var seq = builder.Build(t);
            using var tape = new Whetstone.Tensors.Autograd.Tape();
            using (tape.NoGrad())
            {
                var logits = model.Forward(tape, seq.Ids, 1, seq.Ids.Length);
                var lp = CausalLmLoss.NextTokenLogProbs(tape, logits, seq.Ids);
                sums.Add(Whetstone.Training.Objectives.SequenceLogProbs.Sum(tape, lp, seq.LossMask).AsSpan()[0]);
            }
        }
        return [.. sums];
    }

    [Fact]
    public async Task One_step_raises_the_likelihood_of_above_average_episodes_and_lowers_the_others()
    {
        // The learning signal of a GRPO step, measured directly: after one small update, Σ_i A_i·Δ log π(episode_i) > 0,
        // i.e. the policy moved towards episodes that beat their group and away from the rest.
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small() with { LearningRate = 1e-4f });
        var groups = await Groups(trainer, [1, 0, 0], [0, 0, 1]);
        var episodes = groups.SelectMany(g => g).ToList();
        var before = SequenceLogProbs(model, episodes);
        trainer.Step(groups, 1);
        var after = SequenceLogProbs(model, episodes);
        double[] advantages = [2, -1, -1, -1, -1, 2];   // sign pattern of (r − mean) per group: only the sign matters here
        double improvement = Enumerable.Range(0, episodes.Count).Sum(i => advantages[i] * (after[i] - before[i]));
        Assert.True(improvement > 0, $"Σ A·Δlogπ = {improvement}; before [{string.Join(", ", before)}], after [{string.Join(", ", after)}]");
        Assert.True(after[0] > before[0] && after[5] > before[5], "each group's best episode became more likely");
    }

    [Fact]
    public async Task Zero_variance_groups_are_skipped_and_counted()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small() with { SkipZeroVarianceGroups = true });
        var before = Weights(model);
        var r = trainer.Step(await Groups(trainer, [1, 1, 1], [0, 0, 0]), 1);
        Assert.Equal(2, r.Groups);
        Assert.Equal(2, r.SkippedGroups);
        Assert.Equal(0, r.Updates);
        Assert.Equal(0, r.Sequences);
        Assert.Equal(0.5, r.RewardMean, 12);        // rewards are still reported
        var after = Weights(model);
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
    }

    [Fact]
    public async Task Oversampling_trains_the_first_B_informative_groups_and_counts_the_rest_as_surplus()
    {
        var config = Small() with { SkipZeroVarianceGroups = true, TasksPerStep = 2, OversampleTasks = 2 };
        using var model = NewModel();
        using var trainer = NewTrainer(model, config);
        Assert.Equal(4, trainer.TasksForStep(0).Count);   // B + oversampled tasks are played
        var groups = await Groups(trainer, [1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]);
        var r = trainer.Step(groups, 1, maxTrainedGroups: 2);
        Assert.Equal(4, r.Groups);
        Assert.Equal(1, r.SkippedGroups);
        Assert.Equal(1, r.SurplusGroups);
        Assert.Equal(6, r.Sequences);                      // groups 2 and 3, three episodes each
        Assert.Equal(0.5, r.RewardMean, 12);               // all 12 episodes are still reported

        // The update is exactly the one from the two informative groups alone (and there is one: an unchanged model
        // would make the comparison below pass vacuously).
        Assert.True(r.Updates > 0);
        using var start = NewModel();
        Assert.Contains(Weights(start).Zip(Weights(model)), p => !p.First.SequenceEqual(p.Second));
        using var alone = NewModel();
        using var reference = NewTrainer(alone, config);
        reference.Step([groups[1], groups[2]], 1);
        var a = Weights(model);
        var b = Weights(alone);
        for (int i = 0; i < a.Length; i++) Assert.Equal(b[i], a[i]);
    }

    [Fact]
    public async Task The_loss_mask_covers_exactly_the_generated_tokens_of_the_trained_episodes()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small());
        var groups = await Groups(trainer, [1, 0, 0], [0, 1, 0]);
        long generated = groups.SelectMany(g => g).SelectMany(t => t.Steps).OfType<ActionStep>().Sum(a => (long)a.TokenIds!.Count);

        var r = trainer.Step(groups, 1);

        Assert.Equal(6, r.Sequences);
        Assert.Equal(generated, r.TrainedTokens);    // mask = generated ids only (prompt, template, tool output masked)
        Assert.True(r.Tokens > 2 * generated);       // the sequences also hold the system prompt, task and observations
        Assert.Equal((double)generated / 6, r.ResponseLength, 9);
        Assert.NotNull(r.Entropy);
        Assert.InRange(r.MeanRatio!.Value, 0.99, 1.01); // on-policy: the tape's log-probs match the generator's
        Assert.Equal(0.0, r.ClipFraction!.Value);
        Assert.Null(r.Kl);                           // β = 0: no reference
    }

    [Fact]
    public async Task Infrastructure_errors_are_left_out_of_rewards_and_the_update()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small() with { SkipZeroVarianceGroups = true });
        var groups = (await Groups(trainer, [1, 0, 0], [0, 1, 1])).Select(g => g.ToList()).ToList();
        groups[0][0] = groups[0][0] with { Status = EpisodeStatus.InfrastructureError, Reward = null, Success = null };
        groups[1][2] = groups[1][2] with { Status = EpisodeStatus.InfrastructureError, Reward = null, Success = null };

        var r = trainer.Step(groups.Select(g => (IReadOnlyList<Trajectory>)g).ToList(), 1);

        Assert.Equal(2, r.InfrastructureErrors);
        Assert.Equal(4, r.Episodes);
        Assert.Equal(0.25, r.RewardMean, 12);
        Assert.Equal(1, r.SkippedGroups);            // group 0 is left with rewards {0, 0}
        Assert.Equal(2, r.Sequences);                // group 1's two scored episodes
    }

    [Fact]
    public async Task Micro_batches_accumulate_to_the_full_batch_gradient()
    {
        // The gradient each update applies (left in Grad after the step; no clipping), one micro-batch vs one per sequence.
        float[][] Run(int perMicroBatch)
        {
            using var model = NewModel(3);
            using var trainer = NewTrainer(model, Small() with { MaxSequencesPerMicroBatch = perMicroBatch, Beta = 0.05f, MaxGradNorm = 0 });
            var r = trainer.Step(Groups(trainer, [1, 0, 0.5], [0, 0, 1]).GetAwaiter().GetResult(), 1);
            Assert.Equal(6, r.Sequences);
            return [.. trainer.TrainableParameters.Select(p => p.Grad!.ToArray())];
        }
        var one = Run(16);
        var many = Run(1);
        double scale = one.SelectMany(g => g).Max(x => Math.Abs(x));
        Assert.True(scale > 0);
        for (int i = 0; i < one.Length; i++)
            for (int k = 0; k < one[i].Length; k++)
                Assert.True(Math.Abs(one[i][k] - many[i][k]) <= 1e-5 * scale + 1e-4 * Math.Abs(one[i][k]), $"grad {i}[{k}]: {one[i][k]} vs {many[i][k]}");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Kl_to_the_frozen_reference_starts_at_zero_and_the_reference_does_not_move()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small() with { Beta = 0.1f });
        var referenceBefore = Weights(trainer.Reference!);
        var groups = await Groups(trainer, [1, 0, 0], [0, 0, 1]);
        var first = trainer.Step(groups, 1);
        Assert.Equal(0.0, first.Kl!.Value, 12);      // the first update's forward runs the reference's very weights
        var second = trainer.Step(groups, 2);
        Assert.True(second.Kl > 0, $"kl {second.Kl}");
        Assert.True(second.ApproxKlToOld > 0);       // the old log-probs are the rollout's, one update behind now
        Assert.Equal(2, trainer.Optimizer.StepCount);
        var referenceAfter = Weights(trainer.Reference!);
        for (int i = 0; i < referenceBefore.Length; i++) Assert.Equal(referenceBefore[i], referenceAfter[i]);
    }

    [Fact]
    public async Task Inner_epochs_take_mu_updates_on_one_set_of_rollouts()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small() with { InnerEpochs = 3 });
        var r = trainer.Step(await Groups(trainer, [1, 0, 0], [0, 0, 1]), 1);
        Assert.Equal(3, r.Updates);
        Assert.Equal(3, trainer.Optimizer.StepCount);
        Assert.True(r.ApproxKlToOld > 0);            // epochs 2 and 3 see a policy that moved away from the behaviour one
    }

    [Fact]
    public async Task A_non_finite_loss_stops_the_step_before_the_update()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small());
        var groups = await Groups(trainer, [1, 0, 0], [0, 0, 1]);
        model.Parameters[^1].Value.AsSpan()[0] = float.NaN;
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Step(groups, 7));
        Assert.Equal(7, e.Step);
        Assert.Equal(0, trainer.Optimizer.StepCount);
    }

    [Fact]
    public async Task TrainAsync_writes_metrics_evals_and_checkpoints_and_resume_equals_an_uninterrupted_run()
    {
        string Dir() => Path.Combine(Path.GetTempPath(), "whet-grpo-" + Guid.NewGuid().ToString("N"));
        string straight = Dir(), split = Dir();
        try
        {
            // Rewards are those of the calc tasks (a random model scores 0, so groups are all-equal): the run still
            // takes its updates because SkipZeroVarianceGroups is off, and the machinery is what is under test.
            var config = Small() with { MaxSteps = 3, SaveEvery = 1, EvalEvery = 2, Beta = 0.05f, WeightDecay = 0.01f };
            float[][] uninterrupted;
            using (var model = NewModel(4))
            using (var trainer = NewTrainer(model, config with { OutputDir = straight }))
            {
                var result = await trainer.TrainAsync();
                Assert.Equal(3, result.Steps);
                Assert.Equal([0L, 2, 3], result.Evaluations.Select(e => e.Step));
                uninterrupted = Weights(model);
            }
            var lines = File.ReadAllLines(Path.Combine(straight, "metrics.jsonl"));
            Assert.Equal(3, lines.Length);
            var first = JsonNode.Parse(lines[0])!.AsObject();
            foreach (var key in new[] { "step", "loss", "lr", "grad_norm", "reward_mean", "reward_std", "success", "kl", "clip_fraction",
                         "entropy", "response_length", "skipped_groups", "generate_s", "train_s", "infra_errors" })
                Assert.True(first.ContainsKey(key), $"metrics.jsonl has no '{key}': {lines[0]}");
            var evals = File.ReadAllLines(Path.Combine(straight, "eval.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal([0L, 2, 3], evals.Select(e => e["step"]!.GetValue<long>()));
            Assert.All(evals, e => Assert.Equal("grpo", e["stage"]!.GetValue<string>()));
            Assert.All(evals, e => Assert.InRange(e["success_rate"]!.GetValue<double>(), 0, 1));
            Assert.All(evals, e => Assert.Equal(0.0, e["temperature"]!.GetValue<double>())); // greedy unless EvalTemperature says

            using (var model = NewModel(4))
            using (var trainer = NewTrainer(model, config with { OutputDir = split, MaxSteps = 2 }))
                await trainer.TrainAsync();
            using (var model = NewModel(4)) // the run's start again: it becomes the reference; the checkpoint is loaded over it
            using (var trainer = NewTrainer(model, config with { OutputDir = split, Resume = true }))
            {
                var result = await trainer.TrainAsync();
                Assert.Equal(3, result.Steps);
                Assert.Single(result.StepResults);
                var resumed = Weights(model);
                for (int i = 0; i < resumed.Length; i++) Assert.Equal(uninterrupted[i], resumed[i]);
            }
            Assert.Equal(3, File.ReadAllLines(Path.Combine(split, "metrics.jsonl")).Length);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(split, "eval.jsonl")).Length);
        }
        finally
        {
            foreach (var d in new[] { straight, split })
                try { Directory.Delete(d, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public void Tasks_follow_a_seeded_order_that_covers_the_pool_each_epoch()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small() with { TrainTasks = 6, TasksPerStep = 4 });
        var firstEpoch = trainer.TasksForStep(0).Concat(trainer.TasksForStep(1)).Take(6).Select(t => t.Id).ToList();
        Assert.Equal(6, firstEpoch.Distinct().Count());
        Assert.Equal(trainer.TasksForStep(1).Select(t => t.Id), trainer.TasksForStep(1).Select(t => t.Id));
        using var other = NewTrainer(model, Small() with { TrainTasks = 6, TasksPerStep = 4, Seed = 99 });
        Assert.NotEqual(firstEpoch, other.TasksForStep(0).Concat(other.TasksForStep(1)).Take(6).Select(t => t.Id).ToList());
    }

    [Fact]
    public void The_pool_starts_after_the_offset()
    {
        using var model = NewModel();
        using var trainer = NewTrainer(model, Small() with { TrainTasks = 6, TasksPerStep = 4, TrainTaskOffset = 100 });
        var ids = trainer.TasksForStep(0).Concat(trainer.TasksForStep(1)).Take(6).Select(t => t.Id).Order().ToList();
        var expected = _corpus.Factory.Tasks(Whetstone.Agents.Environments.DataSplit.Train, 6, 100).Select(t => t.Id).Order().ToList();
        Assert.Equal(expected, ids);
        Assert.DoesNotContain(_corpus.Factory.Tasks(Whetstone.Agents.Environments.DataSplit.Train, 100)[0].Id, ids);
        Assert.Contains("TrainTaskOffset", Assert.Throws<ArgumentException>(() => (Small() with { TrainTaskOffset = -1 }).Validate()).Message);
    }

    [Fact]
    public void Invalid_settings_are_rejected_by_name()
    {
        Assert.Contains("GroupSize", Assert.Throws<ArgumentException>(() => (Small() with { GroupSize = 1 }).Validate()).Message);
        Assert.Contains("ClipLow", Assert.Throws<ArgumentException>(() => (Small() with { ClipLow = 1.5f }).Validate()).Message);
        Assert.Contains("OutputDir", Assert.Throws<ArgumentException>(() => (Small() with { SaveEvery = 1 }).Validate()).Message);
        Assert.Contains("SkipZeroVarianceGroups", Assert.Throws<ArgumentException>(() => (Small() with { OversampleTasks = 2 }).Validate()).Message);
        Assert.Contains("EvalTemperature", Assert.Throws<ArgumentException>(() => (Small() with { EvalTemperature = -1f }).Validate()).Message);
    }

    [Fact]
    public async Task A_sampled_evaluation_replays_the_same_episode_seeds()
    {
        // At EvalTemperature 1 the evaluation samples (its tokens differ from greedy decoding's), and two evaluations of
        // the same weights agree, so evaluations at different steps of a run differ by the policy only.
        using var model = NewModel(3);
        using var sampled = NewTrainer(model, Small() with { EvalTemperature = 1f });
        using var greedy = NewTrainer(model, Small());
        static string Tokens(IReadOnlyList<Trajectory> episodes) => string.Join(" | ", episodes.Select(t =>
            string.Join(",", t.Steps.OfType<ActionStep>().SelectMany(a => a.TokenIds!))));

        var first = Tokens(await sampled.EvaluationEpisodesAsync(4));
        var second = Tokens(await sampled.EvaluationEpisodesAsync(4));
        var greedyTokens = Tokens(await greedy.EvaluationEpisodesAsync(4));

        Assert.Equal(first, second);
        Assert.NotEqual(greedyTokens, first);
        Assert.Equal(greedyTokens, Tokens(await greedy.EvaluationEpisodesAsync(4)));
        Assert.Equal(4, (await sampled.EvaluateAsync(4)).Episodes);
    }
}
