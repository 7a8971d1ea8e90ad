using SnatTools.Core.Conntrack;

namespace SnatTools.Core.PortUsage;

/// <summary>Groups entries already in hand (tests, captures); a live dump streams into <see cref="SnatPortUsageGrouper"/> instead.</summary>
public static class SnatPortUsageCalculator
{
    /// <summary>Groups the entries the query keeps; the fullest groups come first.</summary>
    public static IReadOnlyList<SnatPortUsage> Group(IEnumerable<ConntrackEntry> entries, SnatPortUsageQuery query, string? networkNamespace)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var grouper = new SnatPortUsageGrouper(query);
        foreach (var entry in entries)
        {
            grouper.Add(entry);
        }

        return grouper.Build(networkNamespace);
    }
}
