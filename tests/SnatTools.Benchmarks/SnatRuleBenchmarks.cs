using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;
using SnatTools.Core.Rules;

namespace SnatTools.Benchmarks;

/// <summary>
/// Performance targets (docs/guide/architecture.md) on a kube-proxy-like nat table (10,000 services: ~40k chains,
/// ~110k rules): Get-SnatRule at least 100x faster than `iptables-save -t nat` and 50x faster
/// than `nft -j list ruleset`; -AllChains faster than one naive full NFT_MSG_GETRULE dump.
/// The external tools take seconds per run, so every method runs a few single invocations
/// (monitoring strategy); Ratio is against iptables-save.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class SnatRuleBenchmarks
{
    private BenchmarkNamespace _namespace = null!;
    private InProcessPowerShell _shell = null!;
    private NftReader _reader = null!;

    [Params(10_000)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _namespace = new BenchmarkNamespace("kube");
        _namespace.Exec(KubeProxyNatTable.Generate(Services), "iptables-nft-restore");
        _shell = new InProcessPowerShell();
        _reader = NftReader.Open(_namespace.Name);
        if (GetSnatRule() != 1)
        {
            throw new InvalidOperationException("the benchmark table should hold exactly one reachable MASQUERADE rule");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reader.Dispose();
        _shell.Dispose();
        _namespace.Dispose();
    }

    [Benchmark(Baseline = true, Description = "iptables-save -t nat")]
    public long IptablesSave() => _namespace.ExecDiscard("iptables-save", "-t", "nat");

    [Benchmark(Description = "nft -j list ruleset")]
    public long NftJson() => _namespace.ExecDiscard("nft", "-j", "list", "ruleset");

    [Benchmark(Description = "Get-SnatRule (warm, in-process)")]
    public int GetSnatRule() => _shell.Invoke($"Get-SnatRule -NetworkNamespace {_namespace.Name}");

    [Benchmark(Description = "Get-SnatRule -AllChains")]
    public int GetSnatRuleAllChains() => _shell.Invoke($"Get-SnatRule -NetworkNamespace {_namespace.Name} -AllChains");

    [Benchmark(Description = "SnatRuleReader (core, default)")]
    public int ReaderDefault() => new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = _namespace.Name }).Read().Count();

    [Benchmark(Description = "naive full GETRULE dump (socket reused)")]
    public int NaiveFullDump()
    {
        int rules = 0;
        _reader.DumpAllRules(NfProto.Unspec, null, (in NetlinkMessage _) => rules++);
        return rules;
    }
}
