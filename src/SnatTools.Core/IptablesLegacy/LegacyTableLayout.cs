namespace SnatTools.Core.IptablesLegacy;

/// <summary>
/// Offsets of struct ipt_entry / ip6t_entry and friends on x86_64 (uapi linux/netfilter_ipv4/ip_tables.h,
/// netfilter_ipv6/ip6_tables.h, x_tables.h; docs/guide/kernel-facts.md §6), and the sockopt numbers.
/// </summary>
public sealed record LegacyTableLayout(
    bool IsIPv6,
    int SocketLevel,
    int EntryHeaderLength,
    int TargetOffsetField,
    int NextOffsetField,
    int CountersField,
    int ProtoField,
    int FlagsField,
    int InvFlagsField,
    byte GotoFlag,
    string NamesFile)
{
    public const int SoGetInfo = 64;      // IPT_SO_GET_INFO / IP6T_SO_GET_INFO
    public const int SoGetEntries = 65;   // IPT_SO_GET_ENTRIES / IP6T_SO_GET_ENTRIES
    public const int GetInfoLength = 84;  // struct ipt_getinfo
    public const int GetEntriesHeader = 40; // struct ipt_get_entries: name[32], size, then entrytable at 40
    public const int TableNameLength = 32; // XT_TABLE_MAXNAMELEN
    public const int EntryMatchHeader = 32; // struct xt_entry_match / xt_entry_target
    public const int ExtensionNameLength = 29; // XT_EXTENSION_MAXNAMELEN

    public static readonly LegacyTableLayout IPv4 = new(false, 0, 112, 88, 90, 96, 80, 82, 83, 0x02, "ip_tables_names");

    public static readonly LegacyTableLayout IPv6 = new(true, 41, 168, 140, 142, 152, 128, 131, 132, 0x04, "ip6_tables_names");
}
