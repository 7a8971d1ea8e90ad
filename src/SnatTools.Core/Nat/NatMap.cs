namespace SnatTools.Core.Nat;

/// <summary>
/// A source-NAT target whose addresses (and maybe ports) a map picks per packet: the key looked up
/// ("ip saddr", "numgen inc mod 2", "ip saddr . tcp dport"), the map's name (null for a map written
/// inline in the rule), whether it maps prefixes (NETMAP: the host part of the address is kept), and
/// its entries as the tool prints them. A packet whose key is not in the map is not translated.
/// </summary>
public sealed record NatMap(string Key, string? Name, bool Prefix, IReadOnlyList<NatMapEntry> Entries)
{
    /// <summary>"ip saddr map @pool" or "ip saddr map { 192.0.2.4 : 198.51.100.3 }", as a table cell or CSV field shows it.</summary>
    public override string ToString() => $"{Key} map {(Name is null ? "{ " + string.Join(", ", Entries) + " }" : "@" + Name)}";
}
