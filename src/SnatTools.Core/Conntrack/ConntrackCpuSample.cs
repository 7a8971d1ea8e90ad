using SnatTools.Core.Netlink;

namespace SnatTools.Core.Conntrack;

/// <summary>One CPU's counters as one IPCTNL_MSG_CT_GET_STATS_CPU reply gave them.</summary>
public sealed record ConntrackCpuSample(int Cpu, ConntrackCounters Counters, IReadOnlyList<UnknownAttribute> Unknown);
