using SnatTools.Core.Netlink;
using SnatTools.Core.Output;

namespace SnatTools.Core.Conntrack;

/// <summary>
/// Conntrack statistics as an operator reads them: one object for the whole host (counters
/// summed over CPUs) or one per CPU. From a single sample the counters are totals since boot;
/// over an <see cref="Interval"/> they are the growth during it, with rates per second.
/// Count, Max and FillRatio describe the whole table (the kernel keeps no per-CPU size).
/// </summary>
public sealed class ConntrackStatistics
{
    private ConntrackStatistics(
        int? cpu,
        ConntrackCounters counters,
        long count,
        long max,
        TimeSpan? interval,
        DateTimeOffset timestamp,
        string? networkNamespace,
        IReadOnlyList<UnknownAttribute> unknown)
    {
        Cpu = cpu;
        Counters = counters;
        Count = count;
        Max = max;
        IntervalSpan = interval;
        Timestamp = timestamp;
        NetworkNamespace = networkNamespace;
        Unknown = ReadableList.From(unknown);
        if (interval is { TotalSeconds: > 0 } span)
        {
            PerSecond = ConntrackRates.From(counters, span);
        }
    }

    /// <summary>The CPU id, or null for the sum over all CPUs.</summary>
    public int? Cpu { get; }

    public ulong Found => Counters.Found;

    public ulong Invalid => Counters.Invalid;

    public ulong Insert => Counters.Insert;

    /// <summary>Confirm failed: for SNAT, the loser of a source-port race; its packet was dropped.</summary>
    public ulong InsertFailed => Counters.InsertFailed;

    public ulong Drop => Counters.Drop;

    public ulong EarlyDrop => Counters.EarlyDrop;

    public ulong Error => Counters.Error;

    public ulong SearchRestart => Counters.SearchRestart;

    public ulong ClashResolve => Counters.ClashResolve;

    public ulong ChainTooLong => Counters.ChainTooLong;

    /// <summary>Entries in the conntrack table (at the end of the interval).</summary>
    public long Count { get; }

    /// <summary>nf_conntrack_max: the table limit.</summary>
    public long Max { get; }

    public double FillRatio => Max > 0 ? (double)Count / Max : 0;

    /// <summary>Null for a single sample; otherwise the time between the two samples, as hh:mm:ss.fffffff text.</summary>
    public string? Interval => ReadableText.Duration(IntervalSpan);

    /// <summary><see cref="Interval"/> as a TimeSpan.</summary>
    internal TimeSpan? IntervalSpan { get; }

    /// <summary>Rates over <see cref="Interval"/>; null for a single sample.</summary>
    public ConntrackRates? PerSecond { get; }

    public DateTimeOffset Timestamp { get; }

    public string? NetworkNamespace { get; }

    /// <summary>Attributes this version does not know, kept as the kernel sent them.</summary>
    public IReadOnlyList<UnknownAttribute> Unknown { get; }

    internal ConntrackCounters Counters { get; }

    /// <summary>Totals since boot: one summed object, or one per CPU.</summary>
    public static IReadOnlyList<ConntrackStatistics> FromSample(ConntrackSample sample, bool perCpu, string? networkNamespace)
    {
        if (perCpu)
        {
            return sample.Cpus
                .Select(cpu => new ConntrackStatistics(cpu.Cpu, cpu.Counters, sample.Count, sample.Max, null, sample.Timestamp, networkNamespace, cpu.Unknown))
                .ToArray();
        }

        var sum = sample.Cpus.Aggregate(default(ConntrackCounters), (total, cpu) => total + cpu.Counters);
        var unknown = sample.Cpus.SelectMany(cpu => cpu.Unknown).ToArray();
        return [new ConntrackStatistics(null, sum, sample.Count, sample.Max, null, sample.Timestamp, networkNamespace, unknown)];
    }

    /// <summary>Growth between two samples, per CPU (matched by CPU id) or summed.</summary>
    public static IReadOnlyList<ConntrackStatistics> FromInterval(ConntrackSample before, ConntrackSample after, bool perCpu, string? networkNamespace)
    {
        var interval = TimeSpan.FromSeconds((after.TimestampTicks - before.TimestampTicks) / (double)System.Diagnostics.Stopwatch.Frequency);
        var earlier = before.Cpus.ToDictionary(cpu => cpu.Cpu);
        var deltas = after.Cpus
            .Select(cpu => (cpu.Cpu, Delta: earlier.TryGetValue(cpu.Cpu, out var old) ? cpu.Counters.Since(old.Counters) : cpu.Counters, cpu.Unknown))
            .ToArray();

        if (perCpu)
        {
            return deltas
                .Select(d => new ConntrackStatistics(d.Cpu, d.Delta, after.Count, after.Max, interval, after.Timestamp, networkNamespace, d.Unknown))
                .ToArray();
        }

        var sum = deltas.Aggregate(default(ConntrackCounters), (total, d) => total + d.Delta);
        var unknown = deltas.SelectMany(d => d.Unknown).ToArray();
        return [new ConntrackStatistics(null, sum, after.Count, after.Max, interval, after.Timestamp, networkNamespace, unknown)];
    }
}
