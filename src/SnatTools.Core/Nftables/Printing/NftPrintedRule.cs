namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// A rule as `nft list ruleset` prints it, its match part alone, its (last) NAT statement, and what
/// could not be printed.
/// </summary>
public sealed record NftPrintedRule(string Text, string Matches, NftPrintedNat? Nat, IReadOnlyList<string> Problems);
