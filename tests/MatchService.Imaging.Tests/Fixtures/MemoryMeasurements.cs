namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>Tests that measure process memory run with nothing else in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    public const string Name = "memory measurements";
}
