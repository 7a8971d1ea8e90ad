namespace SnatTools.Core.Netlink;

/// <summary>Control message types every netlink family shares (uapi linux/netlink.h).</summary>
public static class NetlinkMessageType
{
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;

    /// <summary>NLMSG_MIN_TYPE: family-specific types start here.</summary>
    public const ushort MinType = 0x10;
}
