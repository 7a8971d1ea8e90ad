using SnatTools.Core.Netlink;

namespace SnatTools.Core.Nftables;

/// <summary>
/// enum nf_tables_msg_types (uapi linux/netfilter/nf_tables.h). On the wire the netlink type is
/// (NFNL_SUBSYS_NFTABLES &lt;&lt; 8) | message; <see cref="Type"/> builds it.
/// </summary>
public static class NftMessage
{
    public const byte NewTable = 0;
    public const byte GetTable = 1;
    public const byte DelTable = 2;
    public const byte NewChain = 3;
    public const byte GetChain = 4;
    public const byte DelChain = 5;
    public const byte NewRule = 6;
    public const byte GetRule = 7;
    public const byte DelRule = 8;
    public const byte NewSet = 9;
    public const byte GetSet = 10;
    public const byte DelSet = 11;
    public const byte NewSetElem = 12;
    public const byte GetSetElem = 13;
    public const byte DelSetElem = 14;
    public const byte NewGen = 15;
    public const byte GetGen = 16;

    public static ushort Type(byte message) => NfnetlinkSubsystem.MessageType(NfnetlinkSubsystem.Nftables, message);

    /// <summary>The nf_tables message number of a netlink type, or -1 when it is not an nf_tables message.</summary>
    public static int Of(ushort netlinkType) => netlinkType >> 8 == NfnetlinkSubsystem.Nftables ? netlinkType & 0xff : -1;
}
