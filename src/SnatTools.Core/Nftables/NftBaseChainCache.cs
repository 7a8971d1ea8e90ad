using System.Collections.Concurrent;

namespace SnatTools.Core.Nftables;

/// <summary>
/// Remembers the base chains of a table between reads, keyed by namespace, table and the ruleset
/// generation. Listing chains means dumping every chain of the table (tens of thousands on a
/// Kubernetes node, ~50 ms), while the kernel increments the generation on every commit, so an
/// unchanged generation means an unchanged chain list. A hit is still checked against the kernel:
/// every remembered base chain is looked up by name (hash lookups, microseconds) and the table's
/// use count must match, which also catches a namespace that reuses a deleted one's inode.
/// Rules and counters are never cached.
/// </summary>
public static class NftBaseChainCache
{
    private const int MaxEntries = 64;

    private static readonly ConcurrentDictionary<(string Namespace, byte Family, string Table, ulong Handle), Entry> Entries = new();

    /// <summary>The base chains of <paramref name="table"/>: from the cache when still valid, else listed and remembered.</summary>
    public static IReadOnlyList<NftChain> BaseChains(NftReader reader, NftTable table, uint generation)
    {
        var key = (reader.NamespaceId, table.Family, table.Name, table.Handle);
        if (Entries.TryGetValue(key, out var entry) && entry.Generation == generation && entry.TableUse == table.Use && StillThere(reader, table, entry.Chains))
        {
            return entry.Chains;
        }

        var chains = reader.ListChains(table, baseOnly: true);
        if (Entries.Count >= MaxEntries)
        {
            Entries.Clear();
        }

        Entries[key] = new Entry(generation, table.Use, chains);
        return chains;
    }

    private static bool StillThere(NftReader reader, NftTable table, IReadOnlyList<NftChain> chains) =>
        chains.All(cached => reader.GetChain(table.Family, table.Name, cached.Name) is { } now
                             && now.Handle == cached.Handle && now.Hook == cached.Hook && now.Type == cached.Type && now.Priority == cached.Priority);

    private sealed record Entry(uint Generation, uint TableUse, IReadOnlyList<NftChain> Chains);
}
