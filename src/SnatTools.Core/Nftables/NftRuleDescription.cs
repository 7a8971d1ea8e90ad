using SnatTools.Core.Nat;

namespace SnatTools.Core.Nftables;

/// <summary>
/// A native nf_tables rule read back into nft's own terms: the text `nft list ruleset` prints, the
/// match part of it, the out-interface test, the source-NAT statement and the counter, plus
/// whatever could not be expressed. TransportProtocol is the IP protocol an "l4proto ==" (or
/// "ip protocol ==") match limits the rule to, null when there is none.
/// </summary>
public sealed record NftRuleDescription(
    string Text,
    string Matches,
    string? OutInterface,
    bool OutInterfaceNegated,
    bool IsMasquerade,
    NatRange? Nat,
    ulong? Packets,
    ulong? Bytes,
    IReadOnlyList<string> Problems,
    byte? TransportProtocol = null);
