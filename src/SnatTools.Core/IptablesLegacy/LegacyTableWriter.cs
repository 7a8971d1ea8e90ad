using System.Buffers.Binary;
using System.Text;
using SnatTools.Core.Linux;
using SnatTools.Core.Netlink;

namespace SnatTools.Core.IptablesLegacy;

/// <summary>
/// Replaces an iptables-legacy table the way iptables-legacy commits (libiptc TC_COMMIT):
/// IPT_SO_SET_REPLACE with the new entries, which hands back the old table's counters, then
/// IPT_SO_SET_ADD_COUNTERS to add those counters to the new table entry for entry (the entries
/// are the same rules in the same order, so no packet count is lost). IP6T_ for IPv6 (same
/// numbers, SOL_IPV6). Layouts: uapi netfilter_ipv4/ip_tables.h, netfilter/x_tables.h
/// (docs/guide/kernel-facts.md §6). Callers hold <see cref="XtablesLock"/>.
/// </summary>
public static class LegacyTableWriter
{
    public const int SoSetReplace = 64;      // IPT_SO_SET_REPLACE / IP6T_SO_SET_REPLACE
    public const int SoSetAddCounters = 65;  // IPT_SO_SET_ADD_COUNTERS
    private const int ReplaceHeaderLength = 96;       // struct ipt_replace up to entries[]
    private const int CountersInfoHeaderLength = 40;  // struct xt_counters_info: name[32], num_counters, then counters[] 8-aligned
    private const int CountersLength = 16;            // struct xt_counters: pcnt, bcnt

    /// <summary>
    /// Replaces <paramref name="table"/> (as read) with the same table holding <paramref name="entries"/>
    /// (same entry count, hooks and underflows) and puts the old counters back.
    /// </summary>
    public static void Replace(LegacyTable table, byte[] entries, string? networkNamespace, IKernelDialer? dialer = null)
    {
        using var xtables = (dialer ?? KernelDialer.Live).OpenXtables(table.Layout.IsIPv6, networkNamespace);
        Replace(xtables, table, entries);
    }

    /// <summary>The same through an open x_tables socket of the table's family.</summary>
    public static void Replace(IXtablesTransport xtables, LegacyTable table, byte[] entries)
    {
        string prefix = table.Layout.IsIPv6 ? "IP6T" : "IPT";

        // struct ipt_replace { name[32]; valid_hooks; num_entries; size; hook_entry[5]; underflow[5];
        //                      num_counters; struct xt_counters *counters; entries[] }; the transport
        // fills in the counters pointer.
        var replace = new byte[ReplaceHeaderLength + entries.Length];
        Encoding.ASCII.GetBytes(table.Name, replace.AsSpan(0, LegacyTableLayout.TableNameLength - 1));
        BinaryPrimitives.WriteUInt32LittleEndian(replace.AsSpan(32), table.ValidHooks);
        BinaryPrimitives.WriteUInt32LittleEndian(replace.AsSpan(36), (uint)table.EntryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(replace.AsSpan(40), (uint)entries.Length);
        for (int hook = 0; hook < 5; hook++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(replace.AsSpan(44 + (4 * hook)), table.HookEntry[hook]);
            BinaryPrimitives.WriteUInt32LittleEndian(replace.AsSpan(64 + (4 * hook)), table.Underflow[hook]);
        }

        // num_counters must equal the entry count of the table being replaced, or the kernel
        // answers EAGAIN (xt_replace_table): a cheap guard against a table that changed anyway.
        BinaryPrimitives.WriteUInt32LittleEndian(replace.AsSpan(84), (uint)table.EntryCount);
        entries.CopyTo(replace.AsSpan(ReplaceHeaderLength));

        // struct xt_counters_info { name[32]; num_counters; counters[] }, built before the replace:
        // the kernel writes the old counters straight into it, so the new table (which starts
        // with zero counters) gets them back with the very next call, as iptables-restore does.
        // Between the two calls there is nothing but the error check: a SIGKILL there (which
        // nothing can stop) leaves the new table with zeroed counters, as it would iptables-restore.
        var add = new byte[CountersInfoHeaderLength + (table.EntryCount * CountersLength)];
        Encoding.ASCII.GetBytes(table.Name, add.AsSpan(0, LegacyTableLayout.TableNameLength - 1));
        BinaryPrimitives.WriteUInt32LittleEndian(add.AsSpan(32), (uint)table.EntryCount);
        Check(xtables.Replace(replace, add.AsSpan(CountersInfoHeaderLength)), $"{prefix}_SO_SET_REPLACE {table.Name}");
        Check(xtables.SetOption(SoSetAddCounters, add), $"{prefix}_SO_SET_ADD_COUNTERS {table.Name}");
    }

    private static void Check(int errno, string operation)
    {
        if (errno != 0)
        {
            throw NetlinkException.FromErrno(errno, operation);
        }
    }
}
