using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Linux;

/// <summary>
/// How the core reaches a namespace's kernel: netlink sockets (nf_tables, ctnetlink, rtnetlink)
/// and x_tables sockets, plus the xtables lock file. <see cref="KernelDialer.Live"/> opens real
/// ones; tests pass a dialer that records or scripts the conversation (as mdlayher/netlink's
/// nltest.Dial and google/nftables' internal/nftest do), so whole cmdlet paths run without root.
/// </summary>
public interface IKernelDialer
{
    /// <summary>Fails with NetworkNamespaceNotFound when <paramref name="networkNamespace"/> does not exist; null is the caller's own.</summary>
    void CheckNamespace(string? networkNamespace);

    /// <summary>A netlink socket of <paramref name="protocol"/> (NETLINK_NETFILTER = 12, NETLINK_ROUTE = 0) inside the namespace.</summary>
    INetlinkTransport OpenNetlink(int protocol, string? networkNamespace);

    /// <summary>A raw socket for IPT_SO_* (or IP6T_SO_*) options inside the namespace.</summary>
    IXtablesTransport OpenXtables(bool isIPv6, string? networkNamespace);

    /// <summary>The file iptables-legacy locks around a table replace (<see cref="XtablesLock"/>).</summary>
    string XtablesLockPath { get; }
}
