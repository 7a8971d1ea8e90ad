using System.Globalization;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Linux;
using SnatTools.Core.PortUsage;
using SnatTools.Core.Rules;

namespace SnatTools.Core.Metrics;

/// <summary>
/// The SNAT race metrics of any number of network namespaces, each family written once with every
/// namespace's samples under a <c>namespace</c> label (empty for the caller's own namespace,
/// which Prometheus treats as no label).
/// </summary>
public sealed class SnatMetrics
{
    /// <summary>Busiest destinations per namespace in snattools_snat_port_fill_ratio unless asked otherwise.</summary>
    public const int DefaultMaxDestinations = 10;

    private readonly MetricFamily _insertFailed = new(
        "snattools_conntrack_insert_failed_total", MetricType.Counter,
        "Conntrack entries that could not be confirmed, per CPU, since boot: for source NAT the loser of a source-port race, whose packet (a SYN) was dropped. conntrack -S insert_failed.");

    private readonly MetricFamily _drop = new(
        "snattools_conntrack_drop_total", MetricType.Counter,
        "Packets conntrack dropped, per CPU, since boot (failed inserts among them). conntrack -S drop.");

    private readonly MetricFamily _clashResolve = new(
        "snattools_conntrack_clash_resolve_total", MetricType.Counter,
        "Insert clashes conntrack resolved without dropping the packet, per CPU, since boot. conntrack -S clash_resolve.");

    private readonly MetricFamily _entries = new(
        "snattools_conntrack_entries", MetricType.Gauge,
        "Entries in the conntrack table (conntrack -C).");

    private readonly MetricFamily _max = new(
        "snattools_conntrack_max", MetricType.Gauge,
        "Size limit of the conntrack table (net.netfilter.nf_conntrack_max).");

    private readonly MetricFamily _rules = new(
        "snattools_snat_rules", MetricType.Gauge,
        "Masquerade/SNAT rules a nat postrouting or input base chain reaches (or may reach), by backend, family, owner and whether they set random-fully (Get-SnatRule).");

    private readonly MetricFamily _fill = new(
        "snattools_snat_port_fill_ratio", MetricType.Gauge,
        "Share of the source-NAT port range in use toward one destination (Get-SnatPortUsage FillRatio); only the busiest destinations of each namespace.");

    private readonly MetricFamily _success = new(
        "snattools_collector_success", MetricType.Gauge,
        "1 when the last export read this part of the namespace (conntrack, rules, port_usage), 0 when it failed.");

    private readonly int _maxDestinations;

    public SnatMetrics(int maxDestinations = DefaultMaxDestinations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDestinations);
        _maxDestinations = maxDestinations;
    }

    /// <summary>
    /// The label a namespace gets: empty for this one, the name for one under /run/netns (however
    /// it was given), otherwise the path as given.
    /// </summary>
    public static string NamespaceLabel(string? networkNamespace)
    {
        if (string.IsNullOrEmpty(networkNamespace))
        {
            return string.Empty;
        }

        string named = NetworkNamespace.NamedDirectory + "/";
        return networkNamespace.StartsWith(named, StringComparison.Ordinal) && networkNamespace.IndexOf('/', named.Length) < 0
            ? networkNamespace[named.Length..]
            : networkNamespace;
    }

    /// <summary>
    /// Reads one namespace and adds its samples. A part that cannot be read is reported through
    /// <paramref name="failed"/> and exported as snattools_collector_success 0; the other parts
    /// still count. A missing namespace or missing privileges throw before anything is added.
    /// </summary>
    public void Collect(string? networkNamespace, Action<SnatToolsException>? failed = null)
    {
        string ns = NamespaceLabel(networkNamespace);
        NetworkNamespace.ResolvePath(networkNamespace);

        Part(ns, "conntrack", failed, () => CollectConntrack(networkNamespace, ns));
        List<SnatRule>? rules = null;
        Part(ns, "rules", failed, () =>
        {
            rules = [.. new SnatRuleReader(new SnatRuleQuery { NetworkNamespace = networkNamespace }).Read()];
            CollectRules(rules, ns);
        });
        if (_maxDestinations > 0)
        {
            Part(ns, "port_usage", failed, () => CollectPortUsage(networkNamespace, ns, rules));
        }
    }

    /// <summary>Every family, in a fixed order, with the samples collected so far.</summary>
    public IEnumerable<MetricFamily> Families => [_insertFailed, _drop, _clashResolve, _entries, _max, _rules, _fill, _success];

    /// <summary>The exposition text of everything collected.</summary>
    public override string ToString() => PrometheusText.Format(Families.Where(f => f.Samples.Count > 0));

    private void Part(string ns, string collector, Action<SnatToolsException>? failed, Action read)
    {
        bool ok = true;
        try
        {
            read();
        }
        catch (SnatToolsException ex) when (ex.ErrorId is not (ErrorIds.PermissionDenied or ErrorIds.NetworkNamespaceNotFound))
        {
            ok = false;
            failed?.Invoke(ex);
        }

        _success.Add(ok ? 1 : 0, ("namespace", ns), ("collector", collector));
    }

    private void CollectConntrack(string? networkNamespace, string ns)
    {
        using var reader = ConntrackStatisticsReader.Open(networkNamespace);
        var sample = reader.Read();
        foreach (var cpu in sample.Cpus)
        {
            var labels = new[] { ("namespace", ns), ("cpu", cpu.Cpu.ToString(CultureInfo.InvariantCulture)) };
            _insertFailed.Add(cpu.Counters.InsertFailed, labels);
            _drop.Add(cpu.Counters.Drop, labels);
            _clashResolve.Add(cpu.Counters.ClashResolve, labels);
        }

        _entries.Add(sample.Count, ("namespace", ns));
        _max.Add(sample.Max, ("namespace", ns));
    }

    private void CollectRules(IEnumerable<SnatRule> rules, string ns)
    {
        var counts = rules
            .Where(r => r.Reachable != false)
            .GroupBy(r => (r.Backend, r.Family, r.Owner, r.RandomFully))
            .OrderBy(g => g.Key.Backend).ThenBy(g => g.Key.Family).ThenBy(g => g.Key.Owner).ThenBy(g => g.Key.RandomFully);
        foreach (var group in counts)
        {
            _rules.Add(
                group.Count(),
                ("namespace", ns),
                ("backend", group.Key.Backend.ToString()),
                ("family", group.Key.Family.ToString()),
                ("owner", group.Key.Owner.ToString()),
                ("random_fully", group.Key.RandomFully ? "true" : "false"));
        }
    }

    private void CollectPortUsage(string? networkNamespace, string ns, List<SnatRule>? rules)
    {
        // The rules' --to-ports decide each group's range; without rules the kernel defaults.
        NatPortRangeResolver ranges = rules is null ? SnatRulePortRanges.KernelDefault : SnatRulePortRanges.From(rules);
        var usage = SnatPortUsageReader.Read(networkNamespace, SnatPortUsageQuery.All with { Ranges = ranges });
        foreach (var group in usage.Take(_maxDestinations))
        {
            string destination = group.DestinationPort is not { } port ? group.Destination
                : group.Destination.Contains(':', StringComparison.Ordinal) ? $"[{group.Destination}]:{port}"
                : $"{group.Destination}:{port}";
            _fill.Add(
                group.FillRatio,
                ("namespace", ns),
                ("nat_address", group.NatAddress),
                ("protocol", group.Protocol),
                ("destination", destination),
                ("port_range", group.PortRange),
                ("zone", group.Zone.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
