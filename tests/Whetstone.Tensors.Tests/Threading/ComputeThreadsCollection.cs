namespace Whetstone.Tensors.Tests;

/// <summary>Tests that change the process-wide <c>ComputeThreads.Count</c> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ComputeThreadsCollection
{
    public const string Name = "ComputeThreads";
}
