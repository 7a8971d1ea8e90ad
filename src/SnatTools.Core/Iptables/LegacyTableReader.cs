using System.Buffers.Binary;
using System.Text;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.Iptables;

/// <summary>
/// Reads iptables-legacy (x_tables) tables with getsockopt IPT_SO_GET_INFO / IPT_SO_GET_ENTRIES
/// (and the IP6T_ equivalents) on a raw socket in the namespace. A table is only queried when the
/// namespace already has it (/proc/net/ip_tables_names): asking for a missing table would make
/// the kernel create it, and reading must change nothing.
/// </summary>
public static unsafe class LegacyTableReader
{
    private const int MaxAttempts = 5;

    /// <summary>Reads the table, or returns null when this namespace has no such legacy table.</summary>
    public static LegacyTable? TryRead(LegacyTableLayout layout, string table, string? networkNamespace) =>
        NetworkNamespace.Run(networkNamespace, () => TryReadHere(layout, table));

    private static LegacyTable? TryReadHere(LegacyTableLayout layout, string table)
    {
        if (!TableExists(layout, table))
        {
            return null;
        }

        int fd = Libc.socket(layout.IsIPv6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.IPPROTO_RAW);
        if (fd < 0)
        {
            throw NetlinkException.FromErrno(Libc.LastErrno, "socket(SOCK_RAW) for iptables-legacy");
        }

        try
        {
            for (int attempt = 0; ; attempt++)
            {
                var info = GetInfo(fd, layout, table);
                if (info is null)
                {
                    return null;
                }

                var (validHooks, hookEntry, underflow, entryCount, size) = info.Value;
                byte[]? blob = GetEntries(fd, layout, table, size);
                if (blob is not null)
                {
                    return new LegacyTable(layout, table, validHooks, hookEntry, underflow, entryCount, blob);
                }

                if (attempt == MaxAttempts)
                {
                    throw NetlinkException.FromErrno(Errno.EAGAIN, $"{(layout.IsIPv6 ? "IP6T" : "IPT")}_SO_GET_ENTRIES {table} (the table kept changing)");
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>Reads /proc/thread-self/net/ip_tables_names: the legacy tables this namespace has.</summary>
    private static bool TableExists(LegacyTableLayout layout, string table)
    {
        try
        {
            return File.ReadLines($"/proc/thread-self/net/{layout.NamesFile}").Any(line => line.Trim() == table);
        }
        catch (IOException)
        {
            return false; // no ip_tables support at all
        }
    }

    /// <summary>
    /// Builds a table from the two getsockopt buffers (struct ipt_getinfo and struct
    /// ipt_get_entries with its entries), as captured or as just read.
    /// </summary>
    public static LegacyTable FromBuffers(LegacyTableLayout layout, ReadOnlySpan<byte> getInfo, ReadOnlySpan<byte> getEntries)
    {
        var (validHooks, hookEntry, underflow, entryCount, size) = ParseInfo(getInfo);
        string name = Encoding.ASCII.GetString(getInfo[..LegacyTableLayout.TableNameLength]).TrimEnd('\0');
        if (getEntries.Length < LegacyTableLayout.GetEntriesHeader + size)
        {
            throw new NetlinkDecodeException($"get_entries buffer holds {getEntries.Length} bytes, the table needs {LegacyTableLayout.GetEntriesHeader + size}.");
        }

        return new LegacyTable(layout, name, validHooks, hookEntry, underflow, entryCount, getEntries.Slice(LegacyTableLayout.GetEntriesHeader, size).ToArray());
    }

    private static (uint ValidHooks, uint[] HookEntry, uint[] Underflow, int EntryCount, int Size) ParseInfo(ReadOnlySpan<byte> info)
    {
        if (info.Length < LegacyTableLayout.GetInfoLength)
        {
            throw new NetlinkDecodeException($"getinfo buffer holds {info.Length} bytes, not {LegacyTableLayout.GetInfoLength}.");
        }

        var hooks = new uint[5];
        var underflow = new uint[5];
        for (int i = 0; i < 5; i++)
        {
            hooks[i] = BinaryPrimitives.ReadUInt32LittleEndian(info[(36 + (4 * i))..]);
            underflow[i] = BinaryPrimitives.ReadUInt32LittleEndian(info[(56 + (4 * i))..]);
        }

        return (BinaryPrimitives.ReadUInt32LittleEndian(info[32..]), hooks, underflow,
            (int)BinaryPrimitives.ReadUInt32LittleEndian(info[76..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(info[80..]));
    }

    private static (uint ValidHooks, uint[] HookEntry, uint[] Underflow, int EntryCount, int Size)? GetInfo(int fd, LegacyTableLayout layout, string table)
    {
        // struct ipt_getinfo { char name[32]; u32 valid_hooks; u32 hook_entry[5]; u32 underflow[5]; u32 num_entries; u32 size; }
        Span<byte> info = stackalloc byte[LegacyTableLayout.GetInfoLength];
        info.Clear();
        Encoding.ASCII.GetBytes(table, info[..(LegacyTableLayout.TableNameLength - 1)]);
        int length = info.Length;
        fixed (byte* p = info)
        {
            if (Libc.getsockopt(fd, layout.SocketLevel, LegacyTableLayout.SoGetInfo, p, &length) != 0)
            {
                int errno = Libc.LastErrno;
                if (errno == Errno.ENOENT)
                {
                    return null;
                }

                throw NetlinkException.FromErrno(errno, $"{(layout.IsIPv6 ? "IP6T" : "IPT")}_SO_GET_INFO {table}");
            }
        }

        return ParseInfo(info);
    }

    /// <summary>Returns the entries, or null when the table changed size since GET_INFO (EAGAIN): read again.</summary>
    private static byte[]? GetEntries(int fd, LegacyTableLayout layout, string table, int size)
    {
        var buffer = new byte[LegacyTableLayout.GetEntriesHeader + size];
        Encoding.ASCII.GetBytes(table, buffer.AsSpan(0, LegacyTableLayout.TableNameLength - 1));
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(32), (uint)size);
        int length = buffer.Length;
        fixed (byte* p = buffer)
        {
            if (Libc.getsockopt(fd, layout.SocketLevel, LegacyTableLayout.SoGetEntries, p, &length) != 0)
            {
                int errno = Libc.LastErrno;
                if (errno == Errno.EAGAIN)
                {
                    return null;
                }

                throw NetlinkException.FromErrno(errno, $"{(layout.IsIPv6 ? "IP6T" : "IPT")}_SO_GET_ENTRIES {table}");
            }
        }

        return buffer.AsSpan(LegacyTableLayout.GetEntriesHeader, size).ToArray();
    }
}
