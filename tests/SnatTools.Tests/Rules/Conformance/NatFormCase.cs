namespace SnatTools.Tests.Rules.Conformance;

/// <summary>
/// One source-NAT form of the conformance corpus: the tool that loads it ("nft",
/// "iptables-nft-restore", "ip6tables-nft-restore"), the nft family, the upstream file it follows,
/// the declarations its table needs, and the rule.
/// </summary>
public sealed record NatFormCase(int Number, string Tool, string? Family, string Source, IReadOnlyList<string> Declarations, string Rule)
{
    public bool IsNative => Tool == "nft";

    /// <summary>The nft table a native case is loaded into.</summary>
    public string Table => IsNative ? $"c{Number}" : "nat";

    /// <summary>The nft -f input: a table of its own with the declarations and a nat postrouting chain holding the rule.</summary>
    public string NftInput() =>
        $"table {Family} {Table} {{\n{string.Join('\n', Declarations)}\nchain post {{ type nat hook postrouting priority srcnat; policy accept;\n{Rule}\n}}\n}}\n";

    /// <summary>The iptables-restore input: the rule appended to the nat table's POSTROUTING chain.</summary>
    public string RestoreInput() => $"*nat\n-A POSTROUTING {Rule}\nCOMMIT\n";

    public override string ToString() => $"#{Number} [{Tool} {Family}] {Rule}";
}
