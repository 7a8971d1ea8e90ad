using System.Net;
using SnatTools.Core.Conntrack;
using SnatTools.Core.Nat;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// Groups source-NATed entries into <see cref="SnatPortUsage"/> as they stream out of a dump:
/// one group per NAT address, protocol, destination address and port, reply zone and port range,
/// i.e. per set of entries whose NAT port choices compete. Per entry it keeps only the two bytes
/// of its NAT port, so a table of a million NATed connections needs a few megabytes here.
/// </summary>
public sealed class SnatPortUsageGrouper
{
    private readonly SnatPortUsageQuery _query;
    private readonly Dictionary<GroupKey, List<ushort>> _groups = [];

    public SnatPortUsageGrouper(SnatPortUsageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        _query = query;
    }

    /// <summary>Entries counted so far.</summary>
    public long Counted { get; private set; }

    /// <summary>Counts the entry when the query keeps it and a port range applies; returns whether it did.</summary>
    public bool Add(ConntrackEntry entry)
    {
        if (!_query.Keeps(entry) || _query.Ranges(entry) is not { } range)
        {
            return false;
        }

        var key = new GroupKey(entry.NatAddress, entry.Original.Protocol, entry.Reply.Source, entry.Reply.SourcePort, entry.ReplyZone, range);
        if (!_groups.TryGetValue(key, out var ports))
        {
            ports = [];
            _groups.Add(key, ports);
        }

        ports.Add(entry.NatPort!.Value);
        Counted++;
        return true;
    }

    /// <summary>The groups counted so far, the fullest first.</summary>
    public IReadOnlyList<SnatPortUsage> Build(string? networkNamespace) => _groups
        .Select(pair => new SnatPortUsage(
            pair.Key.NatAddress,
            pair.Key.Protocol,
            IpProtocol.Name(pair.Key.Protocol),
            pair.Key.Destination,
            pair.Key.DestinationPort,
            pair.Key.Zone,
            pair.Key.Range,
            DistinctAscending(pair.Value),
            pair.Value.Count,
            networkNamespace))
        .OrderByDescending(usage => usage.FillRatio)
        .ThenByDescending(usage => usage.PortsInUse)
        .ThenBy(usage => usage.NatAddress, StringComparer.Ordinal)
        .ThenBy(usage => usage.Protocol, StringComparer.Ordinal)
        .ThenBy(usage => usage.Destination, StringComparer.Ordinal)
        .ThenBy(usage => usage.DestinationPort)
        .ThenBy(usage => usage.Zone)
        .ThenBy(usage => usage.Range.Min)
        .ToArray();

    private static int[] DistinctAscending(List<ushort> ports)
    {
        ports.Sort();
        var distinct = new List<int>(ports.Count);
        foreach (ushort port in ports)
        {
            if (distinct.Count == 0 || distinct[^1] != port)
            {
                distinct.Add(port);
            }
        }

        return [.. distinct];
    }

    private readonly record struct GroupKey(IPAddress NatAddress, byte Protocol, IPAddress Destination, int? DestinationPort, ushort Zone, PortRange Range);
}
