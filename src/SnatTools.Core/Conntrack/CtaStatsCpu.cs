namespace SnatTools.Core.Conntrack;

/// <summary>enum ctattr_stats_cpu and ctattr_stats_global (uapi linux/netfilter/nfnetlink_conntrack.h); all be32.</summary>
public static class CtaStatsCpu
{
    public const ushort Searched = 1;
    public const ushort Found = 2;
    public const ushort New = 3;
    public const ushort Invalid = 4;
    public const ushort Ignore = 5;
    public const ushort Delete = 6;
    public const ushort DeleteList = 7;
    public const ushort Insert = 8;
    public const ushort InsertFailed = 9;
    public const ushort Drop = 10;
    public const ushort EarlyDrop = 11;
    public const ushort Error = 12;
    public const ushort SearchRestart = 13;
    public const ushort ClashResolve = 14;
    public const ushort ChainTooLong = 15;

    public const ushort GlobalEntries = 1;
    public const ushort GlobalMaxEntries = 2;
}
