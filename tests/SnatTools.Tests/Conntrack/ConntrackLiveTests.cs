using System.Globalization;
using System.Management.Automation;
using SnatTools.Core;
using SnatTools.Core.Conntrack;
using SnatTools.Tests.Infrastructure;

namespace SnatTools.Tests.Conntrack;

public sealed class ConntrackLiveTests
{
    [SkippableFact]
    public void Every_counter_and_the_table_size_match_conntrack_S_and_C_in_a_namespace_with_traffic()
    {
        Root.Require();
        using var ns = new TestNamespace("ctstat");
        TrackLoopbackUdp(ns, 23);

        using var reader = ConntrackStatisticsReader.Open(ns.Name);
        var sample = reader.Read();
        var oracle = ParseConntrackS(ns.Exec("conntrack", "-S"));
        long oracleCount = long.Parse(ns.Exec("conntrack", "-C").Trim(), CultureInfo.InvariantCulture);

        Assert.Equal(23, sample.Count);
        Assert.Equal(oracleCount, sample.Count);
        Assert.Equal(long.Parse(File.ReadAllText("/proc/sys/net/netfilter/nf_conntrack_max"), CultureInfo.InvariantCulture), sample.Max);
        Assert.Equal(oracle.Keys.Order(), sample.Cpus.Select(c => c.Cpu));
        foreach (var cpu in sample.Cpus)
        {
            var expected = oracle[cpu.Cpu];
            var c = cpu.Counters;
            Assert.Equal(expected["found"], c.Found);
            Assert.Equal(expected["invalid"], c.Invalid);
            Assert.Equal(expected["insert"], c.Insert);
            Assert.Equal(expected["insert_failed"], c.InsertFailed);
            Assert.Equal(expected["drop"], c.Drop);
            Assert.Equal(expected["early_drop"], c.EarlyDrop);
            Assert.Equal(expected["error"], c.Error);
            Assert.Equal(expected["search_restart"], c.SearchRestart);
            Assert.Equal(expected["clash_resolve"], c.ClashResolve);
            Assert.Equal(expected["chaintoolong"], c.ChainTooLong);
        }
    }

    [SkippableFact]
    public void The_cmdlet_sums_cpus_and_reports_fill()
    {
        Root.Require();
        using var ns = new TestNamespace("ctcmd");
        TrackLoopbackUdp(ns, 5);
        using var host = new PowerShellHost();

        var (output, errors) = host.Invoke("Get-ConntrackStatistics -NetworkNamespace $ns", new Dictionary<string, object?> { ["ns"] = ns.Name });
        Assert.Empty(errors);
        var stats = Assert.IsType<ConntrackStatistics>(Assert.Single(output).BaseObject);
        Assert.Null(stats.Cpu);
        Assert.Equal(5, stats.Count);
        Assert.Equal((double)stats.Count / stats.Max, stats.FillRatio);
        Assert.Equal(ns.Name, stats.NetworkNamespace);

        var (perCpu, _) = host.Invoke("Get-ChildItem /run/netns/$ns | Get-ConntrackStatistics -PerCpu", new Dictionary<string, object?> { ["ns"] = ns.Name });
        Assert.Equal(Environment.ProcessorCount, perCpu.Count);
    }

    [SkippableFact]
    public void Interval_reports_growth_and_rates()
    {
        Root.Require();
        using var ns = new TestNamespace("ctint");
        TrackLoopbackUdp(ns, 1);
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("Get-ConntrackStatistics -NetworkNamespace $ns -Interval 0.3", new Dictionary<string, object?> { ["ns"] = ns.Name });
        Assert.Empty(errors);
        var stats = (ConntrackStatistics)Assert.Single(output).BaseObject;
        Assert.NotNull(stats.IntervalSpan);
        Assert.InRange(stats.IntervalSpan!.Value.TotalSeconds, 0.3, 10);
        Assert.NotNull(stats.PerSecond);
        Assert.Equal(0ul, stats.InsertFailed);
    }

    [Fact]
    public void A_missing_namespace_is_a_non_terminating_error_with_a_stable_id()
    {
        using var host = new PowerShellHost();
        var (output, errors) = host.Invoke("'snattools-nope-1','snattools-nope-2' | ForEach-Object { [pscustomobject]@{ FullName = $_ } } | Get-ConntrackStatistics");
        Assert.Empty(output);
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith(ErrorIds.NetworkNamespaceNotFound, e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category));
    }

    [Fact]
    public void A_non_positive_interval_is_refused_before_anything_is_read()
    {
        using var host = new PowerShellHost();
        var (output, _) = host.Invoke("try { Get-ConntrackStatistics -Interval 0; 'not stopped' } catch { $_.FullyQualifiedErrorId }");
        Assert.StartsWith(ErrorIds.InvalidArgument + ",", Assert.Single(output).ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Makes conntrack track loopback traffic in the namespace (an nft ct rule registers its hooks
    /// there), then sends UDP datagrams from distinct ports so each leaves one unreplied entry.
    /// Such an entry lives 30 s, fixed when its datagram passes; tests count them exactly, so a
    /// machine stalled that long before the read would lose some: 600 s, set before the traffic.
    /// </summary>
    internal static void TrackLoopbackUdp(TestNamespace ns, int flows)
    {
        ns.Exec("sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=600");
        ns.ExecWithInput("table ip snattools_test {\n chain out {\n type filter hook output priority 0;\n ct state new counter\n }\n}\n", "nft", "-f", "-");
        ns.Exec("bash", "-c", $"for i in $(seq 1 {flows}); do echo > /dev/udp/127.0.0.1/9; done");
    }

    private static Dictionary<int, Dictionary<string, ulong>> ParseConntrackS(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('='))
                .ToDictionary(kv => kv[0], kv => ulong.Parse(kv[1], CultureInfo.InvariantCulture)))
            .ToDictionary(fields => (int)fields["cpu"], fields => fields);
}
