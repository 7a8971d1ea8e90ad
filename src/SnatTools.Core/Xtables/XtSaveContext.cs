namespace SnatTools.Core.Xtables;

/// <summary>What a match needs besides its own blob to print itself the way iptables-save does.</summary>
/// <param name="IsIPv6">ip6tables (addresses print as IPv6).</param>
/// <param name="Protocol">The rule's -p protocol number (multiport prints ports per protocol).</param>
/// <param name="SetNames">Resolves ipset indexes to names (the set match stores only the index).</param>
public sealed record XtSaveContext(bool IsIPv6, ushort Protocol, Func<ushort, string?>? SetNames);
