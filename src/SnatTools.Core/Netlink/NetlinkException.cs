using SnatTools.Core.Linux;

namespace SnatTools.Core.Netlink;

/// <summary>
/// The kernel refused a request (NLMSG_ERROR with a negative errno) or a socket call failed.
/// EPERM/EACCES become <see cref="ErrorIds.PermissionDenied"/> with advice; everything else is
/// <see cref="ErrorIds.NetlinkError"/> carrying the errno name and the kernel's extended ACK text.
/// </summary>
public sealed class NetlinkException : SnatToolsException
{
    private NetlinkException(string errorId, ErrorKind kind, string message, int errno, string? extendedMessage)
        : base(errorId, kind, message)
    {
        Errno = errno;
        ExtendedMessage = extendedMessage;
    }

    /// <summary>The positive errno value.</summary>
    public int Errno { get; }

    public string ErrnoName => Linux.Errno.Name(Errno);

    /// <summary>The kernel's extended ACK message (NLMSGERR_ATTR_MSG), when it sent one.</summary>
    public string? ExtendedMessage { get; }

    public static NetlinkException FromErrno(int errno, string operation, string? extendedMessage = null)
    {
        var detail = $"{operation} failed: {Linux.Errno.Name(errno)} ({Linux.Errno.Describe(errno)})";
        if (!string.IsNullOrEmpty(extendedMessage))
        {
            detail += $": {extendedMessage}";
        }

        if (errno is Linux.Errno.EPERM or Linux.Errno.EACCES)
        {
            return new NetlinkException(
                ErrorIds.PermissionDenied,
                ErrorKind.PermissionDenied,
                detail + ". Run as root (for example with sudo) or grant the process CAP_NET_ADMIN.",
                errno,
                extendedMessage);
        }

        var kind = errno switch
        {
            Linux.Errno.ENOENT => ErrorKind.ObjectNotFound,
            Linux.Errno.EINVAL => ErrorKind.InvalidArgument,
            Linux.Errno.EBUSY or Linux.Errno.ERESTART => ErrorKind.ResourceBusy,
            Linux.Errno.EOPNOTSUPP or Linux.Errno.ENOPROTOOPT => ErrorKind.NotImplemented,
            _ => ErrorKind.ProtocolError,
        };
        return new NetlinkException(ErrorIds.NetlinkError, kind, detail + ".", errno, extendedMessage);
    }
}
