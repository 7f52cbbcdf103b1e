using Whetstone.Agents.Trajectories;
using Whetstone.Training.Dpo;

namespace Whetstone.Training.Tests.Dpo;

public sealed class PreferencePairsTests
{
    private static Trajectory T(string id, string task, bool? success, EpisodeStatus status = EpisodeStatus.Completed) =>
        new() { Id = id, TaskId = task, Success = success, Status = status };

    [Fact]
    public void Pairs_a_success_with_each_failure_of_the_same_task_and_never_uses_infrastructure_errors()
    {
        var expert = new[] { T("e-a", "a", true), T("e-b", "b", true), T("e-c", "c", true) };
        var sampled = new[]
        {
            T("a#0", "a", false), T("a#1", "a", true), T("a#2", "a", null, EpisodeStatus.InfrastructureError), T("a#3", "a", false, EpisodeStatus.Truncated),
            T("b#0", "b", true),                    // no failure: no pair
            T("d#0", "d", false),                   // no success anywhere: no pair
        };
        var pairs = PreferencePairs.Build(sampled, expert);
        Assert.Equal([("e-a", "a#0"), ("a#1", "a#3")], pairs.Select(p => (p.Chosen.Id, p.Rejected.Id)));
        Assert.All(pairs, p => Assert.Equal(p.Chosen.TaskId, p.Rejected.TaskId));

        var capped = PreferencePairs.Build(sampled, expert, maxPairsPerTask: 1);
        Assert.Equal([("e-a", "a#0")], capped.Select(p => (p.Chosen.Id, p.Rejected.Id)));
    }

    [Fact]
    public void A_failed_demonstration_is_not_used_as_a_rejected_policy_sample()
    {
        var pairs = PreferencePairs.Build([T("a#0", "a", true)], [T("e-a", "a", false)]);
        Assert.Empty(pairs);
    }
}
