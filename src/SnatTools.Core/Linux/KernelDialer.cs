using SnatTools.Core.IptablesLegacy;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Linux;

/// <summary>The real kernel: sockets are created on a dedicated thread inside the namespace (<see cref="NetworkNamespace.Run"/>).</summary>
public sealed class KernelDialer : IKernelDialer
{
    private KernelDialer()
    {
    }

    public static IKernelDialer Live { get; } = new KernelDialer();

    public string XtablesLockPath => XtablesLock.LockPath;

    public void CheckNamespace(string? networkNamespace) => NetworkNamespace.ResolvePath(networkNamespace);

    public INetlinkTransport OpenNetlink(int protocol, string? networkNamespace) =>
        NetworkNamespace.Run(networkNamespace, () => SocketNetlinkTransport.OpenHere(protocol));

    public IXtablesTransport OpenXtables(bool isIPv6, string? networkNamespace) =>
        NetworkNamespace.Run(networkNamespace, () => SocketXtablesTransport.OpenHere(isIPv6));
}
