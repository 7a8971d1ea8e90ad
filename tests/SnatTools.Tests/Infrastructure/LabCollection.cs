namespace SnatTools.Tests.Infrastructure;

/// <summary>
/// Tests that time connects in the race lab run alone: other tests competing for the two CPUs
/// would change the race they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection
{
    public const string Name = "Race lab (runs alone)";
}
