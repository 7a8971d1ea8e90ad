using System.Buffers.Binary;
using System.Text;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.IptablesLegacy;

/// <summary>
/// Reads iptables-legacy (x_tables) tables with getsockopt IPT_SO_GET_INFO / IPT_SO_GET_ENTRIES
/// (and the IP6T_ equivalents) on a raw socket in the namespace (<see cref="IXtablesTransport"/>). A table is only queried when the
/// namespace already has it (/proc/net/ip_tables_names): asking for a missing table would make
/// the kernel create it, and reading must change nothing.
/// </summary>
public static class LegacyTableReader
{
    private const int MaxAttempts = 5;

    /// <summary>Reads the table, or returns null when this namespace has no such legacy table.</summary>
    public static LegacyTable? TryRead(LegacyTableLayout layout, string table, string? networkNamespace, IKernelDialer? dialer = null)
    {
        using var xtables = (dialer ?? KernelDialer.Live).OpenXtables(layout.IsIPv6, networkNamespace);
        return TryRead(xtables, layout, table);
    }

    /// <summary>Reads the table through an open x_tables socket, or returns null when the namespace has no such legacy table.</summary>
    public static LegacyTable? TryRead(IXtablesTransport xtables, LegacyTableLayout layout, string table)
    {
        if (!xtables.HasTable(table))
        {
            return null;
        }

        for (int attempt = 0; ; attempt++)
        {
            var info = GetInfo(xtables, layout, table);
            if (info is null)
            {
                return null;
            }

            var (validHooks, hookEntry, underflow, entryCount, size) = info.Value;
            byte[]? blob = GetEntries(xtables, layout, table, size);
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

    private static (uint ValidHooks, uint[] HookEntry, uint[] Underflow, int EntryCount, int Size)? GetInfo(IXtablesTransport xtables, LegacyTableLayout layout, string table)
    {
        // struct ipt_getinfo { char name[32]; u32 valid_hooks; u32 hook_entry[5]; u32 underflow[5]; u32 num_entries; u32 size; }
        Span<byte> info = stackalloc byte[LegacyTableLayout.GetInfoLength];
        info.Clear();
        Encoding.ASCII.GetBytes(table, info[..(LegacyTableLayout.TableNameLength - 1)]);
        int errno = xtables.GetOption(LegacyTableLayout.SoGetInfo, info, out _);
        if (errno == Errno.ENOENT)
        {
            return null;
        }

        if (errno != 0)
        {
            throw NetlinkException.FromErrno(errno, $"{(layout.IsIPv6 ? "IP6T" : "IPT")}_SO_GET_INFO {table}");
        }

        return ParseInfo(info);
    }

    /// <summary>Returns the entries, or null when the table changed size since GET_INFO (EAGAIN): read again.</summary>
    private static byte[]? GetEntries(IXtablesTransport xtables, LegacyTableLayout layout, string table, int size)
    {
        var buffer = new byte[LegacyTableLayout.GetEntriesHeader + size];
        Encoding.ASCII.GetBytes(table, buffer.AsSpan(0, LegacyTableLayout.TableNameLength - 1));
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(32), (uint)size);
        int errno = xtables.GetOption(LegacyTableLayout.SoGetEntries, buffer, out _);
        if (errno == Errno.EAGAIN)
        {
            return null;
        }

        if (errno != 0)
        {
            throw NetlinkException.FromErrno(errno, $"{(layout.IsIPv6 ? "IP6T" : "IPT")}_SO_GET_ENTRIES {table}");
        }

        return buffer.AsSpan(LegacyTableLayout.GetEntriesHeader, size).ToArray();
    }
}
