using SnatTools.Core.Conntrack;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// Reads SNAT port usage from the kernel: one status-filtered conntrack dump of both address
/// families (AF_UNSPEC: a single walk of the hash table), each entry grouped as it is decoded and
/// then dropped, so memory follows the groups, not the table.
/// </summary>
public static class SnatPortUsageReader
{
    /// <param name="progress">Called during the dump with the entries received so far.</param>
    public static IReadOnlyList<SnatPortUsage> Read(string? networkNamespace, SnatPortUsageQuery query, Action<long>? progress = null)
    {
        var grouper = new SnatPortUsageGrouper(query);
        using var reader = ConntrackEntryReader.Open(networkNamespace);
        // Nothing is held by the dump itself. It is never restarted half-way, which would count
        // entries twice: ctnetlink_dump_table keeps no generation, so it never sets NLM_F_DUMP_INTR.
        reader.DumpSourceNat(
            ConntrackEntryDecoder.AfUnspec,
            entry =>
            {
                grouper.Add(entry);
                return false;
            },
            progress);
        return grouper.Build(networkNamespace);
    }
}
