using Whetstone.Agents.Environments;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Configuration;
using Whetstone.Models.Templates;
using Whetstone.Models.Tokenization.Training;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Sft;

namespace Whetstone.Cli.Tests.Models;

/// <summary>
/// A saved tiny model directory (config.json, model.safetensors, tokenizer.json, tokenizer_config.json) that has
/// memorised the scripted expert's episode on calc's first test task, so greedy decoding replays its tool calls:
/// <c>whet chat --env calc</c> then shows real tool calls and the calculator's observations. Built once per test run.
/// </summary>
public sealed class TinyCalcModel : IDisposable
{
    /// <summary>SFT steps on the one episode: enough for a 64-wide model to reproduce it token for token.</summary>
    public const int MemoriseSteps = 120;

    public TinyCalcModel()
    {
        var factory = EnvironmentCatalog.Create("calc");
        var runner = new RolloutRunner(factory, PolicySource.Expert(factory), new RolloutOptions { MaxParallelism = 1, Seed = 0 });
        Episode = runner.RunAllAsync(factory.Tasks(DataSplit.Test, 1)).GetAwaiter().GetResult()[0];
        var corpus = runner.RunAllAsync(factory.Tasks(DataSplit.Train, 20)).GetAwaiter().GetResult().Append(Episode).ToList();

        var template = new ChatTemplate(ChatMlTemplate.Source);
        var texts = corpus.Select(t => template.Render(TemplateJson.Messages(ConversationMessage.FromTrajectory(t).Select(m => m.Message)),
            TemplateJson.Tools(t.Tools), addGenerationPrompt: false)).ToList();
        var bpe = new BpeTrainer(new BpeTrainerOptions { VocabSize = 400 }).Train(texts);
        Directory = Path.Combine(Path.GetTempPath(), $"whet-cli-tiny-{Guid.NewGuid():N}");
        ChatMlTokenizerConfig.WriteTokenizerFiles(Directory, bpe, modelMaxLength: 1024);
        var chat = ChatFormatter.FromDirectory(Directory);

        using var model = TransformerModel.Create(ModelShapes.Tiny(chat.Tokenizer.VocabSize) with
        {
            MaxPositionEmbeddings = 1024,
            EosTokenIds = [chat.EndOfTurnTokenId],
        }, seed: 5);
        var sft = new SftTrainer(model, chat, new SftConfig
        {
            MaxSteps = MemoriseSteps, LearningRate = 1e-2f, WarmupSteps = 5, MinLrRatio = 0.1f, MaxSequencesPerMicroBatch = 1,
        }).Train([Episode]);
        FinalLoss = sft.StepLosses[^1];
        model.Save(Directory);
    }

    /// <summary>The model directory.</summary>
    public string Directory { get; }

    /// <summary>The expert episode the model memorised (calc/test/0).</summary>
    public Trajectory Episode { get; }

    /// <summary>The last SFT step's loss.</summary>
    public double FinalLoss { get; }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The tests that share one <see cref="TinyCalcModel"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TinyCalcModelCollection : ICollectionFixture<TinyCalcModel>
{
    public const string Name = "tiny calc model";
}
