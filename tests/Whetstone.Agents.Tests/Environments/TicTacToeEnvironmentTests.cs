using Whetstone.Agents.Environments;
using Whetstone.Agents.Environments.TicTacToe;
using Whetstone.Agents.Messages;
using Whetstone.Agents.Trajectories;
using Xunit.Abstractions;

namespace Whetstone.Agents.Tests.Environments;

public class TicTacToeEnvironmentTests(ITestOutputHelper output)
{
    private static readonly TicTacToeEnvironmentFactory RandomOpponent = new();
    private static readonly TicTacToeEnvironmentFactory MinimaxOpponent = new(new TicTacToeOptions { Opponent = TicTacToeOpponent.Minimax });

    [Fact]
    public async Task SameTaskGivesIdenticalGames()
    {
        var task = RandomOpponent.Tasks(DataSplit.Test, 1, offset: 9)[0];
        var runs = await EpisodeLoop.RunAsync(RandomOpponent, _ => new RandomActionPolicy(5), [task, task]);
        Assert.Equal(Transcript.Render(runs[0].Messages), Transcript.Render(runs[1].Messages));
    }

    [Fact]
    public async Task TrainAndTestGamesNeverOverlapAndBothPlayersStart()
    {
        var environment = new TicTacToeEnvironment(new TicTacToeOptions());
        var train = new HashSet<string>();
        foreach (var task in RandomOpponent.Tasks(DataSplit.Train, 1000))
        {
            await environment.ResetAsync(task);
            train.Add(environment.Game.Content);
        }
        var starts = new List<bool>();
        foreach (var task in RandomOpponent.Tasks(DataSplit.Test, 300))
        {
            await environment.ResetAsync(task);
            Assert.DoesNotContain(environment.Game.Content, train);
            starts.Add(environment.Game.AgentStarts);
        }
        Assert.InRange(starts.Count(s => s), 100, 200);
    }

    [Fact]
    public async Task ExpertNeverLosesAndRandomPlayLosesOften()
    {
        var tasks = MinimaxOpponent.Tasks(DataSplit.Test, 200);
        var expertVsMinimax = await EpisodeLoop.RunExpertAsync(MinimaxOpponent, tasks);
        var expertVsRandom = await EpisodeLoop.RunExpertAsync(RandomOpponent, tasks);
        var randomVsMinimax = await EpisodeLoop.RunAsync(MinimaxOpponent, t => new RandomActionPolicy(t.Seed), tasks);
        var randomVsRandom = await EpisodeLoop.RunAsync(RandomOpponent, t => new RandomActionPolicy(t.Seed), tasks);

        static string Summary(List<EpisodeResult> runs) =>
            $"win {runs.Sum(r => r.Metrics["win"])} draw {runs.Sum(r => r.Metrics["draw"])} loss {runs.Sum(r => r.Metrics["loss"])} reward {runs.Average(r => r.Reward):F3}";
        output.WriteLine($"expert vs minimax: {Summary(expertVsMinimax)}");
        output.WriteLine($"expert vs random: {Summary(expertVsRandom)}");
        output.WriteLine($"random vs minimax: {Summary(randomVsMinimax)}");
        output.WriteLine($"random vs random: {Summary(randomVsRandom)}");

        Assert.All(expertVsMinimax, r => Assert.Equal(0, r.Metrics["loss"]));
        Assert.All(expertVsMinimax, r => Assert.Equal(1, r.Metrics["draw"])); // Perfect play on both sides draws.
        Assert.All(expertVsRandom, r => Assert.True(r.Success));
        Assert.True(expertVsRandom.Average(r => r.Metrics["win"]) > 0.8);
        Assert.Equal(0, randomVsMinimax.Sum(r => r.Metrics["win"]));
        Assert.True(randomVsMinimax.Average(r => r.Metrics["loss"]) > 0.8);
        Assert.True(randomVsRandom.Average(r => r.Reward) < expertVsRandom.Average(r => r.Reward) - 0.2);
        Assert.All(expertVsMinimax, r => Assert.Equal(0, r.Metrics["invalid_tool_calls"] + r.Metrics["failed_tool_calls"]));
    }

    [Fact]
    public async Task IllegalMovesAreErrorsAndTheAgentTriesAgain()
    {
        var environment = (TicTacToeEnvironment)MinimaxOpponent.Create();
        var task = MinimaxOpponent.Tasks(DataSplit.Train, 20).First(t => { environment.ResetAsync(t); return !environment.Game.AgentStarts; });
        var reset = await environment.ResetAsync(task);
        var taken = environment.Board.Cells.IndexOf('O') + 1;
        Assert.Contains($"took {taken}", reset.Observations[1].Content);

        var occupied = await environment.StepAsync(AgentAction.Call(new ToolCall("c0", "move", $"{{\"cell\":{taken}}}")));
        Assert.StartsWith($"error: cell {taken} is taken. Free cells: ", Assert.Single(occupied.Observations).Content);
        Assert.False(occupied.Done);

        var outside = await environment.StepAsync(AgentAction.Call(new ToolCall("c1", "move", "{\"cell\":10}")));
        Assert.Equal("error: invalid arguments for move: argument \"cell\" must be at most 9, got 10", Assert.Single(outside.Observations).Content);

        var free = environment.Board.Cells.IndexOf(' ') + 1;
        var twice = await environment.StepAsync(AgentAction.Call(
            new ToolCall("c2", "move", $"{{\"cell\":{free}}}"), new ToolCall("c3", "move", "{\"cell\":9}")));
        Assert.StartsWith($"You took {free}. Opponent took", twice.Observations[0].Content);
        Assert.Equal("error: one move per turn: this call was ignored", twice.Observations[1].Content);
        Assert.Equal(2, environment.Board.Pieces - 1);
    }

    [Fact]
    public async Task RunningOutOfTurnsIsALoss()
    {
        var environment = new TicTacToeEnvironment(new TicTacToeOptions { MaxTurns = 2 });
        await environment.ResetAsync(RandomOpponent.Tasks(DataSplit.Train, 1)[0]);
        Assert.False((await environment.StepAsync(AgentAction.Say("hello"))).Done);
        var last = await environment.StepAsync(AgentAction.Say("hello"));
        Assert.True(last.Done);
        Assert.Equal(0, last.Reward);
        Assert.Equal(1, last.Metrics["loss"]);
        Assert.False(last.Success);
    }

    [Fact]
    public void SolverKnowsTheGameIsADraw()
    {
        Assert.Equal(0, TicTacToeSolver.Value(TicTacToeBoard.Empty, 'X'));
        // X to move with two in a row on top: taking cell 3 wins at once.
        var board = new TicTacToeBoard("XX OO    ");
        Assert.Equal([2], TicTacToeSolver.BestMoves(board, 'X'));
    }
}
