namespace SnatTools.Core.Netlink;

/// <summary>Bytes from the kernel (or a capture) that do not have the shape the uapi headers promise.</summary>
public sealed class NetlinkDecodeException(string message)
    : SnatToolsException(ErrorIds.NetlinkDecodeError, ErrorKind.InvalidData, message);
