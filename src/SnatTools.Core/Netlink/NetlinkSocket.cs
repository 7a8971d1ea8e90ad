using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Netlink;

/// <summary>Called once per received message; return false to stop reading.</summary>
public delegate bool MessageVisitor(in NetlinkMessage message);

/// <summary>Turns one dump message into an item, or returns false to skip it.</summary>
public delegate bool MessageDecoder<T>(in NetlinkMessage message, out T item);

/// <summary>
/// An AF_NETLINK socket (P/Invoke to libc): sequence numbers, ACK and NLMSG_ERROR handling with
/// extended ACK text, multi-part dumps with a restart when the kernel flags NLM_F_DUMP_INTR.
/// Each datagram is read into one reusable buffer sized by peeking, so nothing is truncated and
/// nothing is allocated per message.
/// </summary>
public sealed unsafe class NetlinkSocket : IDisposable
{
    public const int NetlinkNetfilter = 12;
    private const int MaxDumpRestarts = 8;
    private const int ReceiveTimeoutSeconds = 30;
    private const int KernelReceiveBuffer = 4 << 20;

    private readonly int _fd;
    private byte[] _buffer = new byte[64 * 1024];
    private uint _sequence;
    private bool _disposed;

    private NetlinkSocket(int fd)
    {
        _fd = fd;
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>
    /// Opens a socket; with <paramref name="networkNamespace"/> (a /run/netns name or a path) the
    /// socket is created inside that namespace and stays bound to it.
    /// </summary>
    public static NetlinkSocket Open(int protocol = NetlinkNetfilter, string? networkNamespace = null) =>
        NetworkNamespace.Run(networkNamespace, () => OpenHere(protocol));

    private static NetlinkSocket OpenHere(int protocol)
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
            TrySetOption(fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);
            TrySetOption(fd, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, 1);
            // Many ACKs for a big batch must not overrun the queue (ENOBUFS); FORCE needs root.
            if (!TrySetOption(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, KernelReceiveBuffer))
            {
                TrySetOption(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, KernelReceiveBuffer);
            }

            // A kernel that never answers must not hang a cmdlet forever.
            Span<long> timeout = [ReceiveTimeoutSeconds, 0];
            fixed (long* p = timeout)
            {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, p, sizeof(long) * 2);
            }

            return new NetlinkSocket(fd);
        }
        catch
        {
            Libc.close(fd);
            throw;
        }
    }

    private static bool TrySetOption(int fd, int level, int name, int value) =>
        Libc.setsockopt(fd, level, name, &value, sizeof(int)) == 0;

    public uint NextSequence() => ++_sequence;

    public void Send(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (byte* p = bytes)
        {
            while (true)
            {
                nint sent = Libc.send(_fd, p, (nuint)bytes.Length, 0);
                if (sent >= 0)
                {
                    if (sent != bytes.Length)
                    {
                        throw new NetlinkDecodeException($"netlink send wrote {sent} of {bytes.Length} bytes.");
                    }

                    return;
                }

                int errno = Libc.LastErrno;
                if (errno != Errno.EINTR)
                {
                    throw NetlinkException.FromErrno(errno, "send(netlink)");
                }
            }
        }
    }

    /// <summary>Reads datagrams and hands each message to <paramref name="visitor"/> until it returns false.</summary>
    public void Receive(MessageVisitor visitor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            int length = ReceiveDatagram();
            var reader = new NetlinkMessageReader(_buffer.AsSpan(0, length));
            bool keepReading = true;
            while (keepReading && reader.TryNext(out var message))
            {
                keepReading = visitor(in message);
            }

            if (!keepReading)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Sends one request and passes every reply message to <paramref name="onMessage"/>: until
    /// NLMSG_DONE for a dump, until the ACK when NLM_F_ACK is set, else the single reply.
    /// NLMSG_ERROR with an errno throws <see cref="NetlinkException"/>.
    /// </summary>
    /// <returns>True when any reply carried NLM_F_DUMP_INTR (the dump may be inconsistent).</returns>
    public bool Request(ReadOnlySpan<byte> request, string operation, MessageVisitor? onMessage)
    {
        if (request.Length < NetlinkMessage.HeaderLength)
        {
            throw new ArgumentException("a netlink request needs at least its 16-byte header", nameof(request));
        }

        var flags = (NetlinkFlags)BinaryPrimitives.ReadUInt16LittleEndian(request[6..]);
        uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(request[8..]);
        bool isDump = (flags & NetlinkFlags.Dump) == NetlinkFlags.Dump && (flags & NetlinkFlags.Request) != 0;
        bool wantsAck = (flags & NetlinkFlags.Ack) != 0;
        bool interrupted = false;
        NetlinkException? failure = null;

        Send(request);
        Receive((in NetlinkMessage message) =>
        {
            if (message.Sequence != sequence)
            {
                return true; // a late reply to an earlier request on this socket
            }

            if ((message.Flags & NetlinkFlags.DumpInterrupted) != 0)
            {
                interrupted = true;
            }

            switch (message.Type)
            {
                case NetlinkMessageType.Error:
                    int errno = message.ErrorCode;
                    if (errno != 0)
                    {
                        failure = NetlinkException.FromErrno(errno, operation, message.ExtendedAckMessage);
                    }

                    return false;
                case NetlinkMessageType.Done:
                    // A dump that fails part-way reports the errno in NLMSG_DONE's payload.
                    if (message.Payload.Length >= 4)
                    {
                        int status = BinaryPrimitives.ReadInt32LittleEndian(message.Payload);
                        if (status < 0)
                        {
                            failure = NetlinkException.FromErrno(-status, operation, message.ExtendedAckMessage);
                        }
                    }

                    return wantsAck && failure is null;
                case NetlinkMessageType.Noop:
                    return true;
                case NetlinkMessageType.Overrun:
                    failure = NetlinkException.FromErrno(Errno.ENOBUFS, operation);
                    return false;
                default:
                    bool more = onMessage?.Invoke(in message) ?? true;
                    if (!more && isDump)
                    {
                        // Stopping a dump early would leave its tail queued for the next request.
                        onMessage = null;
                        more = true;
                    }

                    // Some single replies carry NLM_F_MULTI (ctnetlink GET_STATS does), so only a dump
                    // or an awaited ACK keeps the read going.
                    return more && (isDump || wantsAck);
            }
        });

        if (failure is not null)
        {
            throw failure;
        }

        return interrupted;
    }

    /// <summary>
    /// Runs a dump built by <paramref name="buildRequest"/> and keeps the items <paramref name="decode"/>
    /// accepts. When the kernel flags the dump as interrupted (the ruleset changed mid-dump),
    /// the whole dump is read again, so callers never see a mix of two generations.
    /// </summary>
    public List<T> Dump<T>(NetlinkWriter writer, Action<NetlinkWriter, uint> buildRequest, string operation, MessageDecoder<T> decode)
    {
        var items = new List<T>();
        for (int attempt = 0; ; attempt++)
        {
            items.Clear();
            writer.Reset();
            buildRequest(writer, NextSequence());
            bool interrupted = Request(writer.WrittenSpan, operation, (in NetlinkMessage message) =>
            {
                if (decode(in message, out var item))
                {
                    items.Add(item);
                }

                return true;
            });

            if (!interrupted)
            {
                return items;
            }

            if (attempt == MaxDumpRestarts)
            {
                throw NetlinkException.FromErrno(Errno.EINTR, $"{operation} (changed during {MaxDumpRestarts + 1} consecutive dumps)");
            }
        }
    }

    private int ReceiveDatagram()
    {
        while (true)
        {
            // Peek with MSG_TRUNC for the real size first, so a datagram is never cut short.
            nint size;
            fixed (byte* p = _buffer)
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

            if (size > _buffer.Length)
            {
                _buffer = new byte[Math.Max((int)size, _buffer.Length * 2)];
            }

            nint received;
            fixed (byte* p = _buffer)
            {
                received = Libc.recv(_fd, p, (nuint)_buffer.Length, 0);
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

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Libc.close(_fd);
        }
    }
}
