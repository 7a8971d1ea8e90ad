using System.Buffers.Binary;
using System.Net;
using SnatTools.Core.Linux;

namespace SnatTools.Core.Lab;

/// <summary>
/// One non-blocking client TCP socket bound to a chosen (address, port). Raw syscalls, so the
/// moment of connect() is the moment the SYN leaves: nothing managed runs in between.
/// SO_LINGER 0 closes with a reset, so no TIME_WAIT lingers between bursts.
/// </summary>
internal sealed unsafe class LabClientSocket : IDisposable
{
    private const int SockNonblock = 0x800;

    private LabClientSocket(int fd) => Fd = fd;

    public int Fd { get; private set; }

    public long ConnectStartedTicks { get; private set; }

    public static LabClientSocket Bind(IPAddress address, int port)
    {
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_STREAM | SockNonblock | Libc.SOCK_CLOEXEC, Libc.IPPROTO_TCP);
        if (fd < 0)
        {
            throw Failed("socket", address, port);
        }

        var socket = new LabClientSocket(fd);
        try
        {
            int one = 1;
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, &one, sizeof(int));
            Span<int> linger = [1, 0];
            fixed (int* p = linger)
            {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, p, sizeof(int) * 2);
            }

            Span<byte> sockaddr = stackalloc byte[16];
            Write(sockaddr, address, port);
            fixed (byte* p = sockaddr)
            {
                if (Libc.bind(fd, p, sockaddr.Length) != 0)
                {
                    throw Failed("bind", address, port);
                }
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends the SYN; returns false if connect failed at once (the error is the connection's result).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool StartConnect(ReadOnlySpan<byte> destination)
    {
        ConnectStartedTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        fixed (byte* p = destination)
        {
            int result = Libc.connect(Fd, p, destination.Length);
            return result == 0 || Libc.LastErrno == Libc.EINPROGRESS;
        }
    }

    /// <summary>
    /// After the socket became writable: did the handshake complete? A reset that arrives after
    /// the SYN-ACK (the server closing at once) still means it did; a refused SYN is ECONNREFUSED.
    /// </summary>
    public bool HandshakeCompleted()
    {
        const int EconnReset = 104;
        const int Epipe = 32;
        int error = 0;
        int length = sizeof(int);
        Libc.getsockopt(Fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &error, &length);
        return error is 0 or EconnReset or Epipe;
    }

    public static void Write(Span<byte> sockaddr, IPAddress address, int port)
    {
        sockaddr.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, Libc.AF_INET);
        BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], (ushort)port);
        address.TryWriteBytes(sockaddr[4..8], out _);
    }

    private static SnatToolsException Failed(string call, IPAddress address, int port)
    {
        int errno = Libc.LastErrno;
        return new SnatToolsException(ErrorIds.LabUnavailable, ErrorKind.ResourceUnavailable,
            $"lab client {call} {address}:{port} failed: {Errno.Name(errno)} ({Errno.Describe(errno)}).");
    }

    public void Dispose()
    {
        if (Fd >= 0)
        {
            Libc.close(Fd);
            Fd = -1;
        }
    }
}
