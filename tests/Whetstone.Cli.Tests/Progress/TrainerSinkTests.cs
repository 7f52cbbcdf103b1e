using System.Text.Json;
using Whetstone.Agents.Environments;
using Whetstone.Agents.Rollouts;
using Whetstone.Cli.Tests.Models;
using Whetstone.Models.Configuration;
using Whetstone.Models.Transformer;
using Whetstone.Training.Data;
using Whetstone.Training.Progress;
using Whetstone.Training.Sft;

namespace Whetstone.Cli.Tests.Progress;

[Collection(TinyCalcModelCollection.Name)]
public class TrainerSinkTests(TinyCalcModel tiny)
{
    /// <summary>Writes down every call, in order.</summary>
    private sealed class RecordingSink : ITrainingProgress
    {
        public List<string> Calls { get; } = [];
        public void Start(long totalSteps) => Calls.Add($"start {totalSteps}");
        public void Report(long step, double loss, long tokens)
        {
            Assert.True(double.IsFinite(loss) && tokens >= 0, $"step {step}: loss {loss}, tokens {tokens}");
            Calls.Add($"step {step}");
        }
        public void Finish() => Calls.Add("finish");
    }

    [Fact]
    public void The_sft_trainer_reports_every_step_in_order_to_the_sink_instead_of_stderr()
    {
        var chat = ChatFormatter.FromDirectory(tiny.Directory);
        using var model = TransformerModel.Create(ModelShapes.Tiny(chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 1024 }, seed: 1);
        var sink = new RecordingSink();
        var error = new StringWriter();
        var before = Console.Error;
        Console.SetError(error);
        try
        {
            new SftTrainer(model, chat, new SftConfig { MaxSteps = 5, WarmupSteps = 1, ShowProgress = true, ProgressSink = sink })
                .Train([tiny.Episode]);
        }
        finally
        {
            Console.SetError(before);
        }

        Assert.Equal(["start 5", "step 1", "step 2", "step 3", "step 4", "step 5", "finish"], sink.Calls);
        Assert.Equal("", error.ToString());   // the sink replaces the stderr line
    }

    [Fact]
    public void The_sink_is_not_serialised_with_the_config()
    {
        var config = new SftConfig { MaxSteps = 3, ProgressSink = new RecordingSink() };

        var json = JsonSerializer.Serialize(config);

        Assert.DoesNotContain("ProgressSink", json);
        Assert.Equal(3, JsonSerializer.Deserialize<SftConfig>(json)!.MaxSteps);
    }

    [Fact]
    public async Task The_grpo_trainer_starts_the_sink_with_its_step_count_and_reports_each_step()
    {
        var chat = ChatFormatter.FromDirectory(tiny.Directory);
        using var model = TransformerModel.Create(ModelShapes.Tiny(chat.Tokenizer.VocabSize) with { MaxPositionEmbeddings = 1024 }, seed: 1);
        var sink = new RecordingSink();
        using var trainer = new Whetstone.Training.Grpo.GrpoTrainer(model, chat, EnvironmentCatalog.Create("calc"), new Whetstone.Training.Grpo.GrpoConfig
        {
            MaxSteps = 2, TasksPerStep = 1, GroupSize = 2, TrainTasks = 4, MaxTurns = 2, MaxTokensPerTurn = 8, MaxEpisodeTokens = 16,
            ProgressSink = sink,
        });

        await trainer.TrainAsync();

        Assert.Equal(["start 2", "step 1", "step 2", "finish"], sink.Calls.Select(c => c));
    }
}
