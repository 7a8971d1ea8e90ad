namespace SnatTools.Core.Nat;

/// <summary>One entry of a <see cref="NatMap"/>: the key and the addresses ("198.51.100.1", "198.51.100.0/24", "198.51.100.1-198.51.100.9") and ports ("80", "1024-2048"; null when the map gives none) it maps to.</summary>
public sealed record NatMapEntry(string Key, string Addresses, string? Ports)
{
    /// <summary>"192.0.2.4 : 198.51.100.3 . 80", as nft writes a map element.</summary>
    public override string ToString() => $"{Key} : {Addresses}{(Ports is null ? string.Empty : " . " + Ports)}";
}
