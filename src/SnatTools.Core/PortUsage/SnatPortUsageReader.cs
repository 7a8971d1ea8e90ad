using SnatTools.Core.Conntrack;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// Reads SNAT port usage from the kernel: one status-filtered conntrack dump per address family
/// (IPv4, then IPv6), keeping only the entries the query wants, then groups them.
/// </summary>
public static class SnatPortUsageReader
{
    /// <param name="progress">Called during the dumps with the entries received so far (both families together).</param>
    public static IReadOnlyList<SnatPortUsage> Read(string? networkNamespace, SnatPortUsageQuery query, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var reader = ConntrackEntryReader.Open(networkNamespace);
        long before = 0;
        var entries = new List<ConntrackEntry>();
        foreach (byte family in (byte[])[ConntrackEntryDecoder.AfInet, ConntrackEntryDecoder.AfInet6])
        {
            var dump = reader.DumpSourceNat(family, query.Keeps, received => progress?.Invoke(before + received));
            before += dump.Received;
            entries.AddRange(dump.Entries);
        }

        return SnatPortUsageCalculator.Group(entries, query, networkNamespace);
    }
}
