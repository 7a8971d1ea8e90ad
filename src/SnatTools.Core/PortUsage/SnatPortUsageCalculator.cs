using System.Net;
using SnatTools.Core.Conntrack;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// Groups source-NATed entries into <see cref="SnatPortUsage"/>: one group per NAT address,
/// protocol, destination address and port, zone and port range, i.e. per set of entries whose
/// NAT port choices compete.
/// </summary>
public static class SnatPortUsageCalculator
{
    /// <summary>Groups the entries the query keeps; the fullest groups come first.</summary>
    public static IReadOnlyList<SnatPortUsage> Group(IEnumerable<ConntrackEntry> entries, SnatPortUsageQuery query, string? networkNamespace)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(query);
        var groups = new Dictionary<GroupKey, (HashSet<int> Ports, int Connections)>();
        foreach (var entry in entries)
        {
            if (!query.Keeps(entry) || query.Ranges(entry) is not { } range)
            {
                continue;
            }

            var key = new GroupKey(entry.NatAddress, entry.Original.Protocol, entry.Reply.Source, entry.Reply.SourcePort, entry.Zone, range);
            if (!groups.TryGetValue(key, out var group))
            {
                group = ([], 0);
            }

            group.Ports.Add(entry.NatPort!.Value);
            groups[key] = (group.Ports, group.Connections + 1);
        }

        return groups
            .Select(pair => new SnatPortUsage(
                pair.Key.NatAddress,
                pair.Key.Protocol,
                IpProtocol.Name(pair.Key.Protocol),
                pair.Key.Destination,
                pair.Key.DestinationPort,
                pair.Key.Zone,
                pair.Key.Range,
                pair.Value.Ports.Order().ToArray(),
                pair.Value.Connections,
                networkNamespace))
            .OrderByDescending(usage => usage.FillRatio)
            .ThenByDescending(usage => usage.PortsInUse)
            .ThenBy(usage => usage.NatAddress.ToString(), StringComparer.Ordinal)
            .ThenBy(usage => usage.Protocol, StringComparer.Ordinal)
            .ThenBy(usage => usage.Destination.ToString(), StringComparer.Ordinal)
            .ThenBy(usage => usage.DestinationPort)
            .ThenBy(usage => usage.PortRange.Min)
            .ToArray();
    }

    private readonly record struct GroupKey(IPAddress NatAddress, byte Protocol, IPAddress Destination, int? DestinationPort, ushort Zone, NatPortRange Range);
}
