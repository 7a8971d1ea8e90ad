using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SnatTools.Core.Race;

namespace SnatTools.Benchmarks;

/// <summary>
/// Target (docs/guide/architecture.md, performance targets): <c>Test-SnatRace -Connections 100 -Trials 100000</c> (all three
/// algorithms) under 1 s on this 2-core machine, with an allocation-free inner loop.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class TestSnatRaceCmdletBenchmarks
{
    private InProcessPowerShell _shell = null!;

    [GlobalSetup]
    public void Setup() => _shell = new InProcessPowerShell();

    [GlobalCleanup]
    public void Cleanup() => _shell.Dispose();

    [Benchmark(Description = "Test-SnatRace -Connections 100 -Trials 100000 (all three algorithms)")]
    public int AllAlgorithms() => _shell.Invoke("Test-SnatRace -Connections 100 -Trials 100000 -Seed 1");
}

/// <summary>The model without PowerShell: one algorithm, 100,000 bursts of 100 on all cores, and one burst alone.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class SnatRaceSimulatorBenchmarks
{
    [Params(SnatAlgorithm.KeepOriginal, SnatAlgorithm.RandomFully)]
    public SnatAlgorithm Algorithm { get; set; }

    [Params(false, true)]
    public bool SharedSourcePort { get; set; }

    [Benchmark(Description = "100,000 bursts of 100, all cores")]
    public double Run() => SnatRaceSimulator.Run(
        new SnatRaceScenario(100) { Algorithm = Algorithm, SharedSourcePort = SharedSourcePort, Cpus = 2 },
        100_000,
        seed: 1).ProbabilityAnyDrop;
}

/// <summary>The inner loop: one burst of 100 SYNs through the model, warm. Must allocate nothing.</summary>
[MemoryDiagnoser]
public class BurstSimulationBenchmarks
{
    private IBurstSimulation _burst = null!;

    [Params(SnatAlgorithm.KeepOriginal, SnatAlgorithm.RandomFully)]
    public SnatAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _burst = BurstSimulation.Create(new SnatRaceScenario(100) { Algorithm = Algorithm, Cpus = 2 });
        _burst.Reseed(Pcg32.ForChunk(1, 0));
    }

    [Benchmark(Description = "one burst of 100 connections")]
    public bool OneBurst() => _burst.Run();
}
