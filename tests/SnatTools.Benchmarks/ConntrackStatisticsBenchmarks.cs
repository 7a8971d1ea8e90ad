using BenchmarkDotNet.Attributes;
using SnatTools.Core.Conntrack;

namespace SnatTools.Benchmarks;

/// <summary>Target (docs/guide/architecture.md, performance targets): Get-ConntrackStatistics under 10 ms warm. Reads the host's own counters (read-only).</summary>
[MemoryDiagnoser]
public class ConntrackStatisticsBenchmarks
{
    private ConntrackStatisticsReader _reader = null!;

    [GlobalSetup]
    public void Setup() => _reader = ConntrackStatisticsReader.Open();

    [GlobalCleanup]
    public void Cleanup() => _reader.Dispose();

    [Benchmark(Description = "per-CPU dump + table size, socket reused")]
    public ConntrackSample ReadWarm() => _reader.Read();

    [Benchmark(Description = "open socket + read + close (what one cmdlet call does)")]
    public ConntrackSample OpenReadClose()
    {
        using var reader = ConntrackStatisticsReader.Open();
        return reader.Read();
    }
}

/// <summary>The cmdlet as a script calls it, warm (runspace open, assembly loaded).</summary>
[MemoryDiagnoser]
public class GetConntrackStatisticsCmdletBenchmarks
{
    private InProcessPowerShell _shell = null!;

    [GlobalSetup]
    public void Setup() => _shell = new InProcessPowerShell();

    [GlobalCleanup]
    public void Cleanup() => _shell.Dispose();

    [Benchmark(Description = "Get-ConntrackStatistics")]
    public int Sum() => _shell.Invoke("Get-ConntrackStatistics");

    [Benchmark(Description = "Get-ConntrackStatistics -PerCpu")]
    public int PerCpu() => _shell.Invoke("Get-ConntrackStatistics -PerCpu");
}
