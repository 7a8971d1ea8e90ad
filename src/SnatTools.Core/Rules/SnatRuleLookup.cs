namespace SnatTools.Core.Rules;

/// <summary>
/// Finds one source-NAT rule named by where it is: an nf_tables rule by table, chain and handle
/// (native and iptables-nft), an iptables-legacy rule by table, chain and 1-based position.
/// </summary>
public static class SnatRuleLookup
{
    /// <summary>The nf_tables rule with this handle; <paramref name="family"/> null searches ip, ip6 and inet tables of that name.</summary>
    public static SnatRule ByHandle(string? networkNamespace, string table, string chain, ulong handle, SnatFamily? family)
    {
        var matches = Read(networkNamespace, table, chain, family, legacy: false)
            .Where(r => r.Backend != SnatBackend.IptablesLegacy && r.Handle == handle && (family is null || r.Family == family))
            .ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw NotFound($"handle {handle}", networkNamespace, table, chain, family),
            _ => throw new SnatToolsException(ErrorIds.InvalidArgument, ErrorKind.InvalidArgument,
                $"Tables named {table} in several families have a rule with handle {handle} in chain {chain}; say which with -Family ({string.Join(", ", matches.Select(m => m.Family))}).", handle),
        };
    }

    /// <summary>The iptables-legacy rule at this position (IPv4 unless <paramref name="family"/> is IPv6).</summary>
    public static SnatRule ByPosition(string? networkNamespace, string table, string chain, int position, SnatFamily? family)
    {
        var wanted = family ?? SnatFamily.IPv4;
        return Read(networkNamespace, table, chain, wanted, legacy: true).FirstOrDefault(r => r.Family == wanted && r.Position == position)
               ?? throw NotFound($"position {position}", networkNamespace, table, chain, wanted);
    }

    private static IEnumerable<SnatRule> Read(string? networkNamespace, string table, string chain, SnatFamily? family, bool legacy) =>
        new SnatRuleReader(new SnatRuleQuery
        {
            NetworkNamespace = networkNamespace,
            Table = table,
            Chain = chain,
            Family = family == SnatFamily.Inet ? null : family,
            Backend = legacy ? SnatBackend.IptablesLegacy : null,
            AllChains = true,
        }).Read().Where(r => legacy == (r.Backend == SnatBackend.IptablesLegacy));

    private static SnatToolsException NotFound(string what, string? networkNamespace, string table, string chain, SnatFamily? family) =>
        new(ErrorIds.RuleNotFound, ErrorKind.ObjectNotFound,
            $"There is no masquerade/SNAT rule with {what} in {(family is null ? string.Empty : family + " ")}table {table}, chain {chain}" +
            $"{(networkNamespace is null ? string.Empty : $" of namespace {networkNamespace}")}. Get-SnatRule -AllChains lists the rules there are.", what);
}
