namespace SnatTools.Core.Netlink;

/// <summary>
/// The datagram layer under <see cref="NetlinkSocket"/>: one netlink socket, bound inside one
/// network namespace. The live one is an AF_NETLINK socket (<see cref="SocketNetlinkTransport"/>);
/// tests put a recording or scripted fake here, so the requests the core builds and the replies
/// it decodes can be checked byte for byte without root. One call per datagram, never per message.
/// </summary>
public interface INetlinkTransport : IDisposable
{
    /// <summary>The namespace the socket lives in, as the kernel names it ("net:[4026532345]").</summary>
    string NamespaceId { get; }

    /// <summary>
    /// The socket's netlink port id (nl_pid after bind), which the kernel writes into the header of
    /// the ruleset events a commit from this socket causes; 0 when unknown (fakes).
    /// </summary>
    uint PortId => 0;

    /// <summary>Sends one datagram.</summary>
    void Send(ReadOnlySpan<byte> datagram);

    /// <summary>
    /// Sends one datagram gathered from <paramref name="segments"/> in order (sendmsg with an
    /// iovec), so a batch of any size goes out whole without being copied into one array first.
    /// </summary>
    void Send(IReadOnlyList<ReadOnlyMemory<byte>> segments);

    /// <summary>
    /// Receives the next datagram into <paramref name="buffer"/>, replacing the buffer with a
    /// larger one when the datagram does not fit; returns the datagram's length.
    /// </summary>
    int Receive(ref byte[] buffer);

    /// <summary>
    /// Makes room for one datagram of <paramref name="sendBytes"/> and for
    /// <paramref name="receiveBytes"/> of replies queued before any is read (the kernel refuses a
    /// datagram larger than the send buffer with EMSGSIZE and drops replies that overflow the
    /// receive buffer). Only ever raises the sizes.
    /// </summary>
    void Reserve(int sendBytes, int receiveBytes);
}
