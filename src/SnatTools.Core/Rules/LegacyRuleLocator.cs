namespace SnatTools.Core.Rules;

/// <summary>
/// An iptables-legacy rule: the x_tables table, the chain and 1-based position, the entry's offset
/// in the blob IPT_SO_GET_ENTRIES returned, the entry bytes (ipt_entry or ip6t_entry with matches
/// and target, counters zeroed), and a digest of the whole blob (counters zeroed) so a writer can
/// tell that the table is still the one this rule was read from.
/// </summary>
public sealed record LegacyRuleLocator(bool IsIPv6, string Table, string Chain, int Position, int EntryOffset, byte[] Entry, string BlobDigest, uint ValidHooks, int EntryCount, int BlobSize) : RuleLocator;
