namespace SnatTools.Core.Lab;

/// <summary>Which NAT range flags the lab's MASQUERADE rule carries (uapi linux/netfilter/nf_nat.h).</summary>
// long: ConvertTo-Json writes 64-bit enums by their name, other enums as numbers (Output/ReadableText.cs).
public enum LabMasqueradeMode : long
{
    /// <summary>No flag: what Docker and the CNI bridge plugin install.</summary>
    Plain = 0,

    /// <summary>NF_NAT_RANGE_PROTO_RANDOM (0x04), iptables --random.</summary>
    Random = 0x04,

    /// <summary>NF_NAT_RANGE_PROTO_RANDOM_FULLY (0x10), iptables --random-fully.</summary>
    RandomFully = 0x10,
}
