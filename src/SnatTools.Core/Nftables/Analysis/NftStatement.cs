namespace SnatTools.Core.Nftables.Analysis;

/// <summary>
/// One step of a rule in nft's terms, with registers resolved to what they hold: a comparison, a
/// set lookup, a counter, a verdict, a NAT statement, or an expression left for the consumer.
/// </summary>
public abstract record NftStatement;
