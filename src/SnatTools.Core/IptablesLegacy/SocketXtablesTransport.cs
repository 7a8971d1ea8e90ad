using System.Buffers.Binary;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.IptablesLegacy;

/// <summary>
/// A raw IPv4 or IPv6 socket for the x_tables socket options, created by <see cref="KernelDialer"/>
/// on a thread inside the namespace, with the namespace's legacy table names read there too. When
/// the socket cannot be created (no CAP_NET_RAW) the table names still answer, and every option
/// call reports the socket's errno: a namespace without legacy tables reads as empty, as before.
/// </summary>
internal sealed unsafe class SocketXtablesTransport : IXtablesTransport
{
    /// <summary>Offset of the counters pointer in struct ipt_replace / ip6t_replace.</summary>
    private const int ReplaceCountersPointer = 88;

    private readonly int _fd;
    private readonly int _socketErrno;
    private readonly HashSet<string> _tables;
    private readonly int _level;

    private SocketXtablesTransport(bool isIPv6, int fd, int socketErrno, HashSet<string> tables)
    {
        IsIPv6 = isIPv6;
        _fd = fd;
        _socketErrno = socketErrno;
        _tables = tables;
        _level = isIPv6 ? LegacyTableLayout.IPv6.SocketLevel : LegacyTableLayout.IPv4.SocketLevel;
    }

    public bool IsIPv6 { get; }

    /// <summary>Opens the socket in the calling thread's namespace.</summary>
    public static SocketXtablesTransport OpenHere(bool isIPv6)
    {
        var layout = isIPv6 ? LegacyTableLayout.IPv6 : LegacyTableLayout.IPv4;
        HashSet<string> tables;
        try
        {
            tables = File.ReadLines($"/proc/thread-self/net/{layout.NamesFile}").Select(line => line.Trim()).ToHashSet(StringComparer.Ordinal);
        }
        catch (IOException)
        {
            tables = []; // no ip_tables support at all
        }

        int fd = Libc.socket(isIPv6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_RAW);
        return new SocketXtablesTransport(isIPv6, fd, fd < 0 ? Libc.LastErrno : 0, tables);
    }

    public bool HasTable(string table) => _tables.Contains(table);

    public int GetOption(int option, Span<byte> value, out int length)
    {
        length = 0;
        if (_fd < 0)
        {
            return _socketErrno;
        }

        int size = value.Length;
        fixed (byte* p = value)
        {
            int result = Libc.getsockopt(_fd, _level, option, p, &size);
            length = size;
            return result == 0 ? 0 : Libc.LastErrno;
        }
    }

    public int SetOption(int option, ReadOnlySpan<byte> value)
    {
        if (_fd < 0)
        {
            return _socketErrno;
        }

        fixed (byte* p = value)
        {
            return Libc.setsockopt(_fd, _level, option, p, value.Length) == 0 ? 0 : Libc.LastErrno;
        }
    }

    public int Replace(ReadOnlySpan<byte> replace, Span<byte> oldCounters)
    {
        var copy = replace.ToArray();
        fixed (byte* counters = oldCounters)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(ReplaceCountersPointer), (ulong)counters);
            return SetOption(LegacyTableWriter.SoSetReplace, copy);
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Libc.close(_fd);
        }
    }
}
