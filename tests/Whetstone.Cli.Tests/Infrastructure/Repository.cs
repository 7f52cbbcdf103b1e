namespace Whetstone.Cli.Tests.Infrastructure;

/// <summary>The checkout the tests run from (the folder holding Whetstone.slnx), for recipes/.</summary>
public static class Repository
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Whetstone.slnx")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no Whetstone.slnx above {AppContext.BaseDirectory}");
    }
}
