using System.Buffers;
using System.Buffers.Binary;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Netlink;

/// <summary>
/// A real AF_NETLINK socket (P/Invoke to libc). Created by <see cref="KernelDialer"/> on a thread
/// inside the wanted namespace; the socket stays there afterwards. Each datagram is peeked for
/// its size first, so nothing is ever truncated.
/// </summary>
internal sealed unsafe class SocketNetlinkTransport : INetlinkTransport
{
    private const int ReceiveTimeoutSeconds = 30;
    private const int DefaultReceiveBuffer = 4 << 20;

    /// <summary>The kernel keeps this much of sk_sndbuf for itself (netlink_sendmsg refuses len > sk_sndbuf - 32).</summary>
    private const int SendOverhead = 32;

    private readonly int _fd;
    private int _sendBuffer;
    private int _receiveBuffer;
    private bool _disposed;

    private SocketNetlinkTransport(int fd, string namespaceId)
    {
        _fd = fd;
        NamespaceId = namespaceId;
        _sendBuffer = GetOption(fd, Libc.SO_SNDBUF);
        _receiveBuffer = GetOption(fd, Libc.SO_RCVBUF);
    }

    public string NamespaceId { get; }

    public uint PortId
    {
        get
        {
            Span<byte> address = stackalloc byte[12];
            int length = address.Length;
            fixed (byte* p = address)
            {
                return Libc.getsockname(_fd, p, &length) == 0 ? BinaryPrimitives.ReadUInt32LittleEndian(address[4..]) : 0;
            }
        }
    }

    /// <summary>Joins a multicast group (NETLINK_ADD_MEMBERSHIP), e.g. NFNLGRP_NFTABLES for ruleset events.</summary>
    public void JoinGroup(int group)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!SetOption(_fd, Libc.SOL_NETLINK, Libc.NETLINK_ADD_MEMBERSHIP, group))
        {
            throw NetlinkException.FromErrno(Libc.LastErrno, $"setsockopt(NETLINK_ADD_MEMBERSHIP, group {group})");
        }
    }

    /// <summary>Sets the receive buffer (events queue here until read; overflow is ENOBUFS). Returns what the kernel charges.</summary>
    public int SetReceiveBuffer(int bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _receiveBuffer = RaiseBuffer(_fd, Libc.SO_RCVBUFFORCE, Libc.SO_RCVBUF, bytes);
        return _receiveBuffer;
    }

    /// <summary>
    /// Waits until a datagram (or a pending error such as ENOBUFS) can be read, at most
    /// <paramref name="timeoutMilliseconds"/>; false on timeout. Sleeps in poll(2): no spinning.
    /// </summary>
    public bool WaitReadable(int timeoutMilliseconds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fds = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
        int ready = Libc.poll(&fds, 1, timeoutMilliseconds);
        if (ready < 0)
        {
            int errno = Libc.LastErrno;
            if (errno == Errno.EINTR)
            {
                return false;
            }

            throw NetlinkException.FromErrno(errno, "poll(netlink)");
        }

        return ready > 0;
    }

    /// <summary>Opens a socket in the calling thread's namespace.</summary>
    public static SocketNetlinkTransport OpenHere(int protocol)
    {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw NetlinkException.FromErrno(Libc.LastErrno, "socket(AF_NETLINK)");
        }

        try
        {
            Span<byte> address = stackalloc byte[12];
            address.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(address, Libc.AF_NETLINK);
            fixed (byte* p = address)
            {
                if (Libc.bind(fd, p, address.Length) != 0)
                {
                    throw NetlinkException.FromErrno(Libc.LastErrno, "bind(AF_NETLINK)");
                }
            }

            // Extended ACK gives the kernel's reason in words; capped ACKs keep a refused
            // batch from being echoed back whole.
            SetOption(fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);
            SetOption(fd, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, 1);
            // Dumps and ACKs of ordinary batches fit here; bigger batches reserve more (Reserve).
            RaiseBuffer(fd, Libc.SO_RCVBUFFORCE, Libc.SO_RCVBUF, DefaultReceiveBuffer);

            // A kernel that never answers must not hang a cmdlet forever.
            Span<long> timeout = [ReceiveTimeoutSeconds, 0];
            fixed (long* p = timeout)
            {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, p, sizeof(long) * 2);
            }

            return new SocketNetlinkTransport(fd, File.ResolveLinkTarget("/proc/thread-self/ns/net", returnFinalTarget: false)?.Name ?? string.Empty);
        }
        catch
        {
            Libc.close(fd);
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (byte* p = datagram)
        {
            while (true)
            {
                nint sent = Libc.send(_fd, p, (nuint)datagram.Length, 0);
                if (sent >= 0)
                {
                    CheckSent(sent, datagram.Length);
                    return;
                }

                int errno = Libc.LastErrno;
                if (errno != Errno.EINTR)
                {
                    throw SendFailed(errno, datagram.Length);
                }
            }
        }
    }

    public void Send(IReadOnlyList<ReadOnlyMemory<byte>> segments)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (segments.Count == 1)
        {
            Send(segments[0].Span);
            return;
        }

        if (segments.Count > Libc.UIO_MAXIOV)
        {
            // More pages than one sendmsg takes (a batch over ~128 MiB): gather them into one buffer.
            var whole = new byte[segments.Sum(s => s.Length)];
            int offset = 0;
            foreach (var segment in segments)
            {
                segment.Span.CopyTo(whole.AsSpan(offset));
                offset += segment.Length;
            }

            Send(whole);
            return;
        }

        var handles = new MemoryHandle[segments.Count];
        var iov = new Libc.IoVec[segments.Count];
        int total = 0;
        try
        {
            for (int i = 0; i < segments.Count; i++)
            {
                handles[i] = segments[i].Pin();
                iov[i] = new Libc.IoVec { Base = handles[i].Pointer, Length = (nuint)segments[i].Length };
                total += segments[i].Length;
            }

            Span<byte> address = stackalloc byte[12];
            address.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(address, Libc.AF_NETLINK);
            fixed (Libc.IoVec* vectors = iov)
            fixed (byte* name = address)
            {
                var message = new Libc.MsgHdr { Name = name, NameLength = address.Length, Iov = vectors, IovLength = (nuint)iov.Length };
                while (true)
                {
                    nint sent = Libc.sendmsg(_fd, &message, 0);
                    if (sent >= 0)
                    {
                        CheckSent(sent, total);
                        return;
                    }

                    int errno = Libc.LastErrno;
                    if (errno != Errno.EINTR)
                    {
                        throw SendFailed(errno, total);
                    }
                }
            }
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Dispose();
            }
        }
    }

    public int Receive(ref byte[] buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            // Peek with MSG_TRUNC for the real size first, so a datagram is never cut short.
            nint size;
            fixed (byte* p = buffer)
            {
                size = Libc.recv(_fd, p, 0, Libc.MSG_PEEK | Libc.MSG_TRUNC);
            }

            if (size < 0)
            {
                int errno = Libc.LastErrno;
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                throw NetlinkException.FromErrno(errno == Errno.EAGAIN ? Errno.ETIMEDOUT : errno, "recv(netlink)");
            }

            if (size > buffer.Length)
            {
                buffer = new byte[Math.Max((int)size, buffer.Length * 2)];
            }

            nint received;
            fixed (byte* p = buffer)
            {
                received = Libc.recv(_fd, p, (nuint)buffer.Length, 0);
            }

            if (received >= 0)
            {
                return (int)received;
            }

            int error = Libc.LastErrno;
            if (error != Errno.EINTR)
            {
                throw NetlinkException.FromErrno(error == Errno.EAGAIN ? Errno.ETIMEDOUT : error, "recv(netlink)");
            }
        }
    }

    public void Reserve(int sendBytes, int receiveBytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (sendBytes > _sendBuffer - SendOverhead)
        {
            _sendBuffer = RaiseBuffer(_fd, Libc.SO_SNDBUFFORCE, Libc.SO_SNDBUF, sendBytes + SendOverhead);
        }

        if (receiveBytes > _receiveBuffer)
        {
            _receiveBuffer = RaiseBuffer(_fd, Libc.SO_RCVBUFFORCE, Libc.SO_RCVBUF, receiveBytes);
        }
    }

    /// <summary>
    /// Sets a socket buffer with the FORCE option (needs CAP_NET_ADMIN, which every writer has),
    /// else as far as net.core.[rw]mem_max allows; returns the size the kernel now charges against
    /// (it doubles the value asked for, for its own bookkeeping).
    /// </summary>
    private static int RaiseBuffer(int fd, int forceOption, int option, int bytes)
    {
        if (!SetOption(fd, Libc.SOL_SOCKET, forceOption, bytes))
        {
            SetOption(fd, Libc.SOL_SOCKET, option, bytes);
        }

        return GetOption(fd, option);
    }

    private static bool SetOption(int fd, int level, int name, int value) =>
        Libc.setsockopt(fd, level, name, &value, sizeof(int)) == 0;

    private static int GetOption(int fd, int name)
    {
        int value = 0;
        int length = sizeof(int);
        return Libc.getsockopt(fd, Libc.SOL_SOCKET, name, &value, &length) == 0 ? value : 0;
    }

    private static void CheckSent(nint sent, int length)
    {
        if (sent != length)
        {
            throw new NetlinkDecodeException($"netlink send wrote {sent} of {length} bytes.");
        }
    }

    private NetlinkException SendFailed(int errno, int length) =>
        NetlinkException.FromErrno(errno, errno == Errno.EMSGSIZE
            ? $"send(netlink) of a {length}-byte datagram (the socket's send buffer is {_sendBuffer} bytes and could not be raised: that needs CAP_NET_ADMIN)"
            : "send(netlink)");

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Libc.close(_fd);
        }
    }
}
