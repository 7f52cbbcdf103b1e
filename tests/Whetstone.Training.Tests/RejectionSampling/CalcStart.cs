using Whetstone.Agents.Environments;
using Whetstone.Agents.Evaluation;
using Whetstone.Agents.Policies;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Training.Policies;
using Whetstone.Training.Sft;
using Whetstone.Training.Tests.Sft;

namespace Whetstone.Training.Tests.RejectionSampling;

/// <summary>
/// The calc starting point shared by the RFT and DPO tests: the SFT tests' from-scratch corpus (expert episodes +
/// a BPE tokenizer with the ChatML template) and a tiny Qwen3-shaped model, optionally given a short SFT so that it
/// solves some tasks (a weak start) — or none at all (<c>sftSteps = 0</c>).
/// </summary>
public sealed class CalcStart : IDisposable
{
    public CalcStart(int trainTasks = 400, int vocabSize = 1024, int hidden = 128, int layers = 2, int sftSteps = 0,
        float learningRate = 4e-3f, int sequencesPerStep = 8)
    {
        Corpus = new CalcCorpus(trainTasks, vocabSize);
        var config = new ModelConfig
        {
            Family = ModelFamily.Qwen3, VocabSize = Corpus.Chat.Tokenizer.VocabSize, HiddenSize = hidden,
            IntermediateSize = hidden * 3, NumLayers = layers, NumHeads = Math.Max(1, hidden / 32), NumKeyValueHeads = Math.Max(1, hidden / 64),
            HeadDim = Math.Min(32, hidden), MaxPositionEmbeddings = 2048, RmsNormEps = 1e-6f, RopeTheta = 10000, TieWordEmbeddings = true,
            QkNorm = true, EosTokenIds = [Corpus.Chat.EndOfTurnTokenId],
        };
        Model = TransformerModel.Create(config, seed: 7);
        if (sftSteps > 0)
            Sft = new SftTrainer(Model, Corpus.Chat, new SftConfig
            {
                MaxSteps = sftSteps, LearningRate = learningRate, WarmupSteps = Math.Max(1, sftSteps / 20), MinLrRatio = 0.1f,
                MaxSequencesPerMicroBatch = sequencesPerStep, MaxTokensPerMicroBatch = 1 << 16, Seed = 1,
            }).Train(Corpus.Train);
    }

    public CalcCorpus Corpus { get; }

    public TransformerModel Model { get; }

    public SftResult? Sft { get; }

    public IEnvironmentFactory Factory => Corpus.Factory;

    /// <summary>Greedy held-out success of the current weights on the first <paramref name="tasks"/> test tasks.</summary>
    public Task<EvaluationReport> EvaluateAsync(int tasks, int maxTokensPerTurn = 64) => new Sampler(Model, Corpus).EvaluateAsync(tasks, maxTokensPerTurn);

    /// <summary>k sampled episodes per task with the current weights (temperature 1, seeded).</summary>
    public Task<IReadOnlyList<Trajectory>> SampleAsync(IReadOnlyList<EnvironmentTask> tasks, int k, int seed, int maxTokensPerTurn = 64) =>
        new Sampler(Model, Corpus).SampleAsync(tasks, k, seed, maxTokensPerTurn);

    /// <summary>Rollouts of any model with the corpus's tokenizer on calc.</summary>
    public sealed class Sampler(TransformerModel model, CalcCorpus corpus)
    {
        public async Task<EvaluationReport> EvaluateAsync(int tasks, int maxTokensPerTurn = 64)
        {
            using var policy = new LocalPolicy(model, corpus.Chat);
            var runner = new RolloutRunner(corpus.Factory, PolicySource.Shared(policy), new RolloutOptions
            {
                MaxTurns = 6, MaxParallelism = 1, Seed = 0, MaxGeneratedTokens = 400,
                Sampling = new SamplingOptions { Temperature = 0f, MaxTokens = maxTokensPerTurn },
            });
            var trajectories = await runner.RunAllAsync(corpus.Factory.Tasks(DataSplit.Test, tasks));
            return TrajectoryEvaluator.Evaluate(trajectories, policy: "local", split: "test");
        }

        public async Task<IReadOnlyList<Trajectory>> SampleAsync(IReadOnlyList<EnvironmentTask> tasks, int k, int seed, int maxTokensPerTurn = 64)
        {
            using var policy = new LocalPolicy(model, corpus.Chat);
            var runner = new RolloutRunner(corpus.Factory, PolicySource.Shared(policy), new RolloutOptions
            {
                SamplesPerTask = k, MaxTurns = 6, MaxParallelism = 1, Seed = seed, MaxGeneratedTokens = 400,
                Sampling = new SamplingOptions { Temperature = 1f, MaxTokens = maxTokensPerTurn },
            });
            return await runner.RunAllAsync(tasks);
        }
    }

    public static string Describe(EvaluationReport r) =>
        $"{r.SuccessRate:F3} [{r.SuccessInterval.Low:F3}, {r.SuccessInterval.High:F3}] ({r.Successes}/{r.Episodes})";

    public void Dispose()
    {
        Model.Dispose();
        Corpus.Dispose();
    }
}
