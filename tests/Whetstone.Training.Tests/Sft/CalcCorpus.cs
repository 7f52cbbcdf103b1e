using Whetstone.Agents.Environments;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;
using Whetstone.Models.Tokenization.Training;
using Whetstone.Training.Data;

namespace Whetstone.Training.Tests.Sft;

/// <summary>
/// The from-scratch setup of the calc learning test: expert trajectories on train tasks, a BPE tokenizer trained on
/// their ChatML renderings (ChatML specials + &lt;tool_call&gt; tags), written with <see cref="ChatMlTokenizerConfig"/>.
/// </summary>
public sealed class CalcCorpus : IDisposable
{
    /// <summary>Collects <paramref name="trainTasks"/> expert episodes and trains a tokenizer of <paramref name="vocabSize"/>.</summary>
    public CalcCorpus(int trainTasks, int vocabSize = 512)
    {
        Factory = EnvironmentCatalog.Create("calc");
        var runner = new RolloutRunner(Factory, PolicySource.Expert(Factory), new RolloutOptions { MaxParallelism = 2, Seed = 0 });
        Train = runner.RunAllAsync(Factory.Tasks(DataSplit.Train, trainTasks)).GetAwaiter().GetResult();
        // The tokenizer corpus: the conversations rendered with the same ChatML template the model will be trained with.
        var texts = Train.Select(t => ChatMlTemplateRendering(t)).ToList();
        var trained = new BpeTrainer(new BpeTrainerOptions { VocabSize = vocabSize }).Train(texts);
        Directory = Path.Combine(Path.GetTempPath(), $"whet-sft-calc-{Guid.NewGuid():N}");
        ChatMlTokenizerConfig.WriteTokenizerFiles(Directory, trained, modelMaxLength: 1024);
        Chat = ChatFormatter.FromDirectory(Directory);
    }

    /// <summary>The calc environment factory.</summary>
    public IEnvironmentFactory Factory { get; }

    /// <summary>Expert trajectories on train tasks.</summary>
    public IReadOnlyList<Trajectory> Train { get; }

    /// <summary>The tokenizer directory (tokenizer.json + tokenizer_config.json).</summary>
    public string Directory { get; }

    /// <summary>Tokenizer + ChatML template.</summary>
    public ChatFormatter Chat { get; }

    private static string ChatMlTemplateRendering(Trajectory t)
    {
        var template = new Whetstone.Models.Templates.ChatTemplate(ChatMlTemplate.Source);
        var messages = ConversationMessage.FromTrajectory(t).Select(m => m.Message);
        return template.Render(TemplateJson.Messages(messages), TemplateJson.Tools(t.Tools), addGenerationPrompt: false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
