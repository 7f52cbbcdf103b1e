namespace Whetstone.Agents.Environments;

/// <summary>Which split a task belongs to. Train and test tasks of an environment never overlap.</summary>
public enum DataSplit
{
    /// <summary>Tasks to train on.</summary>
    Train,
    /// <summary>Held-out tasks to measure on.</summary>
    Test,
}
