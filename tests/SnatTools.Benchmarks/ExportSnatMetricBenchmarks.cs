using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SnatTools.Core.Metrics;
using SnatTools.Core.PortUsage;
using SnatTools.Core.Rules;

namespace SnatTools.Benchmarks;

/// <summary>
/// Export-SnatMetric on a busy node (issue 13: under 1 s): one namespace of the benchmark's own
/// holding a kube-proxy nat table of 10,000 services (~110k rules, iptables-nft) beside an nft
/// snat chain, and <see cref="NatFlows"/> source-NATed UDP flows. Needs root. The export reads the
/// per-CPU conntrack counters, the reachable SNAT rules and every NATed conntrack entry.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class ExportSnatMetricBenchmarks
{
    private NatFlowNamespace _namespace = null!;
    private InProcessPowerShell _shell = null!;
    private string _file = null!;

    [Params(10_000)]
    public int Services { get; set; }

    [Params(100_000)]
    public int NatFlows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _namespace = new NatFlowNamespace("metric");
        // The kube-proxy table goes into a fresh ip nat (iptables-nft-restore --noflush over
        // 40,000 chains takes minutes); the flows' snat chain moves to a table of its own.
        _namespace.Exec("nft", "delete", "table", "ip", "nat");
        _namespace.ExecWithInput(KubeProxyNatTable.Generate(Services), "iptables-nft-restore");
        _namespace.ExecWithInput(
            "table ip flows {\n chain post {\n type nat hook postrouting priority srcnat;\n oifname \"d0\" snat to 198.18.0.9 fully-random\n }\n}\n",
            "nft", "-f", "-");
        _namespace.AddUdpFlows(NatFlows, localFlows: 0);
        var rules = new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = _namespace.Name }).Read().ToList();
        var usage = SnatPortUsageReader.Read(_namespace.Name, SnatPortUsageQuery.All);
        if (rules.Count != 2 || usage.Sum(u => u.Connections) != NatFlows)
        {
            throw new InvalidOperationException($"expected the kube-proxy MASQUERADE and the nft snat rule and {NatFlows} NATed flows; got {rules.Count} rules and {usage.Sum(u => u.Connections)} flows.");
        }

        _file = Path.Combine(Path.GetTempPath(), $"snattools-bench-{Guid.NewGuid():N}.prom");
        _shell = new InProcessPowerShell();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _shell.Dispose();
        _namespace.Dispose();
        File.Delete(_file);
    }

    [Benchmark(Description = "SnatMetrics.Collect + format (core)")]
    public int Collect()
    {
        var metrics = new SnatMetrics();
        metrics.Collect(_namespace.Name);
        return metrics.ToString().Length;
    }

    [Benchmark(Description = "Export-SnatMetric -Path (warm, in-process)")]
    public int Cmdlet() => _shell.Invoke($"Export-SnatMetric -NetworkNamespace {_namespace.Name} -Path {_file}");

    [Benchmark(Description = "Export-SnatMetric -MaxDestinations 0 (no conntrack entry dump)")]
    public int CmdletWithoutPortUsage() => _shell.Invoke($"Export-SnatMetric -NetworkNamespace {_namespace.Name} -Path {_file} -MaxDestinations 0");
}
