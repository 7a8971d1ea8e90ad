namespace SnatTools.Core.Race;

/// <summary>
/// How a MASQUERADE/SNAT rule picks the source port: its NAT range flags
/// (uapi linux/netfilter/nf_nat.h).
/// </summary>
// long: ConvertTo-Json writes 64-bit enums by their name, other enums as numbers (Output/ReadableText.cs).
public enum SnatAlgorithm : long
{
    /// <summary>
    /// No random flag (plain MASQUERADE, as Docker and the CNI bridge plugin install it): the
    /// original source port is kept when the reply tuple looks free.
    /// </summary>
    KeepOriginal,

    /// <summary>NF_NAT_RANGE_PROTO_RANDOM (0x04), iptables <c>--random</c>.</summary>
    Random,

    /// <summary>NF_NAT_RANGE_PROTO_RANDOM_FULLY (0x10), iptables <c>--random-fully</c>.</summary>
    RandomFully,
}
