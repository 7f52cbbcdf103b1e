using Whetstone.Agents.Environments;
using Whetstone.Agents.Environments.Bandit;
using Whetstone.Agents.Environments.Calc;
using Whetstone.Agents.Environments.Maze;
using Whetstone.Agents.Environments.TicTacToe;

namespace Whetstone.Agents.Tests.Environments;

public class EnvironmentCatalogTests
{
    [Fact]
    public void ListsTheSixBuiltIns() =>
        Assert.Equal(["calc", "bandit", "tictactoe", "maze", "search-qa", "tool-api"], EnvironmentCatalog.All.Select(d => d.Name));

    [Fact]
    public async Task ListedToolsAreTheToolsTheEnvironmentsOffer()
    {
        foreach (var descriptor in EnvironmentCatalog.All)
        {
            var factory = EnvironmentCatalog.Create(descriptor.Name);
            Assert.Equal(descriptor.Name, factory.Name);
            var reset = await factory.Create().ResetAsync(factory.Tasks(DataSplit.Train, 1)[0]);
            Assert.Equal(descriptor.Tools, reset.Tools.Select(t => t.Name));
            Assert.All(descriptor.Options, o => Assert.Null(o.Check(o.Default)));
        }
    }

    [Fact]
    public void OptionsReachTheFactories()
    {
        var ttt = Assert.IsType<TicTacToeEnvironmentFactory>(EnvironmentCatalog.Parse("tictactoe:opponent=minimax"));
        Assert.Equal(TicTacToeOpponent.Minimax, ttt.Options.Opponent);
        var calc = Assert.IsType<CalcEnvironmentFactory>(EnvironmentCatalog.Parse("calc: difficulty=Hard , max_turns=12"));
        Assert.Equal(new CalcOptions { Difficulty = CalcDifficulty.Hard, MaxTurns = 12 }, calc.Options);
        var bandit = Assert.IsType<BanditEnvironmentFactory>(EnvironmentCatalog.Create("BANDIT", new Dictionary<string, string> { ["arms"] = "3" }));
        Assert.Equal(3, bandit.Options.Arms);
        Assert.Equal(30, bandit.Options.Pulls);
        Assert.Equal(6, Assert.IsType<MazeEnvironmentFactory>(EnvironmentCatalog.Parse("maze:size=6")).Options.Size);
    }

    [Theory]
    [InlineData("chess", "Unknown environment \"chess\". Registered: calc, bandit, tictactoe, maze, search-qa, tool-api.")]
    [InlineData("tictactoe:opponent=alphazero", "tictactoe: option \"opponent\" must be one of random|minimax, got \"alphazero\".")]
    [InlineData("tictactoe:colour=red", "Unknown option \"colour\" for tictactoe. Options: opponent, max_turns.")]
    [InlineData("bandit:arms=1", "bandit: option \"arms\" must be in 2..20, got 1.")]
    [InlineData("bandit:arms=five", "bandit: option \"arms\" must be an integer, got \"five\".")]
    [InlineData("maze:size", "Environment option \"size\" in \"maze:size\" must be key=value.")]
    public void BadSpecsAreExplained(string spec, string message) =>
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => EnvironmentCatalog.Parse(spec)).Message);

    [Fact]
    public async Task ExpertDemonstrationPlaysAWholeEpisode()
    {
        var factory = EnvironmentCatalog.Create("calc");
        var demo = await ExpertDemonstration.RunAsync(factory, factory.Tasks(DataSplit.Test, 1)[0]);
        Assert.True(demo.Success);
        Assert.Equal(1, demo.Reward);
        var text = demo.Render();
        Assert.StartsWith("system: You solve arithmetic word problems.", text);
        Assert.Contains("assistant: {\"name\": \"answer\", \"arguments\": {\"value\":", text);
    }
}
