using System.Runtime.InteropServices;

namespace SnatTools.Core.Linux;

/// <summary>The few libc calls the module needs. Every caller checks the return value and reads errno.</summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int AF_NETLINK = 16;
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int SOCK_STREAM = 1;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int IPPROTO_RAW = 255;

    public const int SOL_SOCKET = 1;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_RCVTIMEO = 20;
    public const int SO_SNDBUFFORCE = 32;
    public const int SO_RCVBUFFORCE = 33;

    public const int SOL_NETLINK = 270;
    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;

    public const int MSG_PEEK = 0x02;
    public const int MSG_TRUNC = 0x20;
    public const int MSG_DONTWAIT = 0x40;

    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const int CLONE_NEWNET = 0x40000000;

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ENOENT = 2;

    [LibraryImport(Library, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int bind(int fd, void* addr, int addrlen);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getsockname(int fd, void* addr, int* addrlen);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint send(int fd, void* buf, nuint len, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint sendmsg(int fd, MsgHdr* message, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint recv(int fd, void* buf, nuint len, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, void* value, int len);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int name, void* value, int* len);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    /// <summary>open(2) with a mode, for O_CREAT (open is variadic; on x86_64 and arm64 Linux the mode goes in the third integer register either way).</summary>
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int sched_setaffinity(int pid, nuint cpusetsize, void* mask);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Library)]
    public static partial uint geteuid();

    [LibraryImport(Library, SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string? fileSystemType, nuint flags, nint data);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int connect(int fd, void* addr, int addrlen);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library)]
    public static partial int sched_getcpu();

    /// <summary>struct iovec (sys/uio.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (sys/socket.h, 64-bit layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public int NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>UIO_MAXIOV: the most iovec entries one sendmsg takes.</summary>
    public const int UIO_MAXIOV = 1024;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    public const short POLLIN = 0x001;
    public const short POLLOUT = 0x004;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int O_NONBLOCK = 0x800;
    public const int EINPROGRESS = 115;
    public const int SOL_TCP = 6;
    public const int SO_REUSEADDR = 2;
    public const int SO_ERROR = 4;
    public const int SO_LINGER = 13;
    public const int IPPROTO_TCP = 6;
    public const nuint MS_BIND = 4096;
    public const int MNT_DETACH = 2;

    // fcntl.h and sys/file.h
    public const int O_CREAT = 0x40;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;

    public static int LastErrno => Marshal.GetLastPInvokeError();
}
