namespace SnatTools.Core.Conntrack;

/// <summary>Every CPU's counters plus the table size, read back to back at one moment.</summary>
public sealed record ConntrackSample(
    DateTimeOffset Timestamp,
    long TimestampTicks,
    IReadOnlyList<ConntrackCpuSample> Cpus,
    long Count,
    long Max);
