namespace SnatTools.Core.IptablesLegacy;

/// <summary>A chain of a legacy table: its name, the hook for built-in chains, and its rules in order.</summary>
public sealed record LegacyChain(string Name, uint? Hook, IReadOnlyList<LegacyEntry> Rules);
