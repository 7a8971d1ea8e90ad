using SnatTools.Core.Conntrack;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// Reads SNAT port usage from the kernel: one status-filtered conntrack dump of both address
/// families (AF_UNSPEC: a single walk of the hash table), keeping only the entries the query
/// wants, then groups them.
/// </summary>
public static class SnatPortUsageReader
{
    /// <param name="progress">Called during the dump with the entries received so far.</param>
    public static IReadOnlyList<SnatPortUsage> Read(string? networkNamespace, SnatPortUsageQuery query, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var reader = ConntrackEntryReader.Open(networkNamespace);
        var dump = reader.DumpSourceNat(ConntrackEntryDecoder.AfUnspec, query.Keeps, progress);
        return SnatPortUsageCalculator.Group(dump.Entries, query, networkNamespace);
    }
}
