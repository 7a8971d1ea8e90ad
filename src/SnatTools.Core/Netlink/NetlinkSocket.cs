using System.Buffers.Binary;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Netlink;

/// <summary>Called once per received message; return false to stop reading.</summary>
public delegate bool MessageVisitor(in NetlinkMessage message);

/// <summary>Turns one dump message into an item, or returns false to skip it.</summary>
public delegate bool MessageDecoder<T>(in NetlinkMessage message, out T item);

/// <summary>
/// A netlink conversation over one <see cref="INetlinkTransport"/>: sequence numbers, ACK and
/// NLMSG_ERROR handling with extended ACK text, multi-part dumps with a restart when the kernel
/// flags NLM_F_DUMP_INTR. Each datagram is read into one reusable buffer, so nothing is allocated
/// per message.
/// </summary>
public sealed class NetlinkSocket : IDisposable
{
    public const int NetlinkNetfilter = 12;
    private const int MaxDumpRestarts = 8;

    private readonly INetlinkTransport _transport;
    private byte[] _buffer = new byte[64 * 1024];
    private uint _sequence;
    private bool _disposed;

    /// <summary>A conversation over <paramref name="transport"/>, which the socket owns from now on.</summary>
    public NetlinkSocket(INetlinkTransport transport)
    {
        _transport = transport;
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>
    /// Opens a socket; with <paramref name="networkNamespace"/> (a /run/netns name or a path) the
    /// socket is created inside that namespace and stays bound to it. <paramref name="dialer"/>
    /// (default: the real kernel) says how.
    /// </summary>
    public static NetlinkSocket Open(int protocol = NetlinkNetfilter, string? networkNamespace = null, IKernelDialer? dialer = null) =>
        new((dialer ?? KernelDialer.Live).OpenNetlink(protocol, networkNamespace));

    /// <summary>The namespace the socket lives in, as the kernel names it ("net:[4026532345]").</summary>
    public string NamespaceId => _transport.NamespaceId;

    /// <summary>The socket's netlink port id (see <see cref="INetlinkTransport.PortId"/>).</summary>
    public uint PortId => _transport.PortId;

    public uint NextSequence() => ++_sequence;

    public void Send(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _transport.Send(bytes);
    }

    /// <summary>
    /// Sends one datagram gathered from <paramref name="segments"/> (a batch in pages), after
    /// making room for it and for <paramref name="replyBytes"/> of replies queued before any is read.
    /// </summary>
    public void Send(IReadOnlyList<ReadOnlyMemory<byte>> segments, int replyBytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int length = 0;
        foreach (var segment in segments)
        {
            length += segment.Length;
        }

        _transport.Reserve(length, replyBytes);
        _transport.Send(segments);
    }

    /// <summary>Reads datagrams and hands each message to <paramref name="visitor"/> until it returns false.</summary>
    public void Receive(MessageVisitor visitor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            int length = _transport.Receive(ref _buffer);
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

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _transport.Dispose();
        }
    }
}
