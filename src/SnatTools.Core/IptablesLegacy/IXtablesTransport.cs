namespace SnatTools.Core.IptablesLegacy;

/// <summary>
/// What iptables-legacy reading and writing need from the kernel: one raw IPv4 or IPv6 socket in
/// one namespace and its x_tables socket options (IPT_SO_* / IP6T_SO_*; the ipset options share
/// the IPv4 socket). The live one is <see cref="SocketXtablesTransport"/>; tests put a recording
/// or scripted fake here, so the SET_REPLACE blob can be checked without root.
/// </summary>
public interface IXtablesTransport : IDisposable
{
    bool IsIPv6 { get; }

    /// <summary>
    /// Whether the namespace has this legacy table (/proc/net/ip_tables_names): asking the socket
    /// for a missing table would make the kernel create it, and reading must change nothing.
    /// </summary>
    bool HasTable(string table);

    /// <summary>
    /// getsockopt at the family's level (SOL_IP or SOL_IPV6): <paramref name="value"/> goes in and
    /// comes back filled; <paramref name="length"/> is what the kernel returned. Returns 0 or the errno.
    /// </summary>
    int GetOption(int option, Span<byte> value, out int length);

    /// <summary>setsockopt at the family's level. Returns 0 or the errno.</summary>
    int SetOption(int option, ReadOnlySpan<byte> value);

    /// <summary>
    /// IPT_SO_SET_REPLACE: <paramref name="replace"/> is a struct ipt_replace with its entries and
    /// a zero counters pointer; the transport points it at <paramref name="oldCounters"/>, which
    /// the kernel fills with the replaced table's counters. Returns 0 or the errno.
    /// </summary>
    int Replace(ReadOnlySpan<byte> replace, Span<byte> oldCounters);
}
