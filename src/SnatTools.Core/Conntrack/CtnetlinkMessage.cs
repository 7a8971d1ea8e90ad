namespace SnatTools.Core.Conntrack;

/// <summary>enum cntl_msg_types (uapi linux/netfilter/nfnetlink_conntrack.h).</summary>
public static class CtnetlinkMessage
{
    public const byte New = 0;
    public const byte Get = 1;
    public const byte Delete = 2;
    public const byte GetCtrZero = 3;
    public const byte GetStatsCpu = 4;
    public const byte GetStats = 5;
    public const byte GetDying = 6;
    public const byte GetUnconfirmed = 7;
}
