namespace SnatTools.Core.Netlink;

/// <summary>nlmsg_flags (uapi linux/netlink.h).</summary>
[Flags]
public enum NetlinkFlags : ushort
{
    None = 0,
    Request = 0x01,
    Multi = 0x02,
    Ack = 0x04,
    Echo = 0x08,
    DumpInterrupted = 0x10,
    DumpFiltered = 0x20,

    // GET requests
    Root = 0x100,
    Match = 0x200,
    Atomic = 0x400,
    Dump = Root | Match,

    // NEW requests
    Replace = 0x100,
    Excl = 0x200,
    Create = 0x400,
    Append = 0x800,

    // NLMSG_ERROR acks
    Capped = 0x100,
    AckTlvs = 0x200,
}
