namespace SnatTools.Core.Netlink;

/// <summary>NLMSG_ALIGN / NLA_ALIGN: messages and attributes are padded to 4 bytes.</summary>
public static class NetlinkAlign
{
    public static int Align(int length) => (length + 3) & ~3;
}
