using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Linux;
using SnatTools.Core.Nftables;

namespace SnatTools.Core.Rules;

/// <summary>
/// The table and chain names of a namespace, for tab completion of -Table and -Chain: every
/// nf_tables table (all families) and the iptables-legacy nat tables that exist there. Nothing is
/// created: a legacy table is only read when the namespace already has it.
/// </summary>
public static class RuleTableNames
{
    private const string LegacyNat = "nat";

    /// <summary>Table names, sorted, each once (an ip and an ip6 "nat" are one name).</summary>
    public static IReadOnlyList<string> Tables(string? networkNamespace)
    {
        using var nft = NftReader.Open(networkNamespace);
        var names = new SortedSet<string>(nft.ListTables().Select(t => t.Name), StringComparer.Ordinal);
        if (LegacyTables(networkNamespace).Any())
        {
            names.Add(LegacyNat);
        }

        return [.. names];
    }

    /// <summary>Chain names, sorted, of the tables named <paramref name="table"/> (null: of every table).</summary>
    public static IReadOnlyList<string> Chains(string? networkNamespace, string? table)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        using (var nft = NftReader.Open(networkNamespace))
        {
            foreach (var nftTable in nft.ListTables().Where(t => table is null || t.Name == table))
            {
                names.UnionWith(nft.ListChains(nftTable, baseOnly: false).Select(c => c.Name));
            }
        }

        if (table is null or LegacyNat)
        {
            foreach (var legacy in LegacyTables(networkNamespace))
            {
                names.UnionWith(LegacyTableParser.Parse(legacy, out _).Select(c => c.Name));
            }
        }

        return [.. names];
    }

    private static IEnumerable<LegacyTable> LegacyTables(string? networkNamespace) =>
        new[] { LegacyTableLayout.IPv4, LegacyTableLayout.IPv6 }
            .Select(layout => LegacyTableReader.TryRead(layout, LegacyNat, networkNamespace))
            .OfType<LegacyTable>();
}
