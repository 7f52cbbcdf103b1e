using Whetstone.Agents.Environments;
using Whetstone.Agents.Formats;
using Whetstone.Agents.Rollouts;
using Whetstone.Agents.Trajectories;

namespace Whetstone.Agents.Tests.Rollouts;

public class RolloutJsonlSinkTests
{
    [Fact]
    public async Task TrajectoriesWrittenAsTheyFinishReadBackWhole()
    {
        var factory = new GuessFactory();
        var runner = new RolloutRunner(factory, PolicySource.Random(), new RolloutOptions { SamplesPerTask = 2, MaxParallelism = 2, MaxTurns = 4, Seed = 3 });
        var path = Path.Combine(Path.GetTempPath(), $"whet-rollout-{Guid.NewGuid():N}.jsonl");
        try
        {
            IReadOnlyList<Trajectory> produced;
            await using (var writer = new TrajectoryJsonlWriter(path, append: false))
                produced = await runner.RunAllAsync(factory.Tasks(DataSplit.Train, 5), (t, ct) => new ValueTask(writer.WriteAsync(t, ct)));

            var read = TrajectoryJsonl.Read(path).OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
            var expected = produced.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
            Assert.Equal(10, read.Count);
            for (int i = 0; i < read.Count; i++)
            {
                Assert.Equal(expected[i].Id, read[i].Id);
                Assert.Equal(expected[i].TaskId, read[i].TaskId);
                Assert.Equal(expected[i].Status, read[i].Status);
                Assert.Equal(expected[i].Reward, read[i].Reward);
                Assert.Equal(expected[i].Steps.Count, read[i].Steps.Count);
                Assert.Equal(expected[i].Metadata["seed"]!.GetValue<int>(), read[i].Metadata["seed"]!.GetValue<int>());
                Assert.Equal(
                    expected[i].Steps.OfType<ActionStep>().SelectMany(a => a.Action.ToolCalls),
                    read[i].Steps.OfType<ActionStep>().SelectMany(a => a.Action.ToolCalls));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
