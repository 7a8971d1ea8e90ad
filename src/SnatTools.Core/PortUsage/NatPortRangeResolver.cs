using SnatTools.Core.Conntrack;
using SnatTools.Core.Nat;

namespace SnatTools.Core.PortUsage;

/// <summary>
/// Says which port range source NAT could choose from for one source-NATed entry, or null when it
/// chose none. <see cref="SnatRulePortRanges.KernelDefault"/> is the default; a resolver
/// that finds the entry's SnatRule can return the rule's --to-ports instead.
/// </summary>
public delegate PortRange? NatPortRangeResolver(ConntrackEntry entry);
