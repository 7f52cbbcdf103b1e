// The verbs write to Console.Out/Error/In, which are process-wide: the tests swap them, so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
