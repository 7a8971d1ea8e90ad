namespace SnatTools.Core.Nftables.Printing;

/// <summary>A rule as `nft list ruleset` prints it, its match part alone, and what could not be printed.</summary>
public sealed record NftPrintedRule(string Text, string Matches, IReadOnlyList<string> Problems);
