namespace SnatTools.Core.Rules;

/// <summary>Where a source-NAT rule lives and which tool shows it.</summary>
// long: ConvertTo-Json writes 64-bit enums by their name, other enums as numbers (Output/ReadableText.cs).
public enum SnatBackend : long
{
    /// <summary>A native nf_tables rule (masq / nat snat expression): `nft list ruleset`.</summary>
    Nftables,

    /// <summary>An nf_tables rule written by iptables-nft (x_tables target inside nf_tables): `iptables-save`.</summary>
    IptablesNft,

    /// <summary>An x_tables rule in the legacy ip_tables/ip6_tables tables: `iptables-legacy-save`.</summary>
    IptablesLegacy,
}
