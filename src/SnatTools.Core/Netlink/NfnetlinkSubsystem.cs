namespace SnatTools.Core.Netlink;

/// <summary>nfnetlink subsystem ids (uapi linux/netfilter/nfnetlink.h); the message type is (subsys &lt;&lt; 8) | msg.</summary>
public static class NfnetlinkSubsystem
{
    public const byte Ctnetlink = 1;
    public const byte CtnetlinkExpect = 2;
    public const byte Nftables = 10;
    public const byte NftCompat = 11;

    public const byte Version0 = 0;

    public static ushort MessageType(byte subsystem, byte message) => (ushort)((subsystem << 8) | message);
}
