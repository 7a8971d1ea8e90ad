namespace SnatTools.Core.Conntrack;

/// <summary>enum ctattr_tuple, ctattr_ip and ctattr_l4proto (uapi linux/netfilter/nfnetlink_conntrack.h).</summary>
public static class CtaTuple
{
    public const ushort Ip = 1;
    public const ushort Proto = 2;

    /// <summary>be16: the zone of this direction when the zone is direction-specific.</summary>
    public const ushort Zone = 3;

    // ctattr_ip: addresses in network order, 4 or 16 bytes.
    public const ushort IpV4Source = 1;
    public const ushort IpV4Destination = 2;
    public const ushort IpV6Source = 3;
    public const ushort IpV6Destination = 4;

    // ctattr_l4proto: NUM is a u8; ports and ICMP ids are be16; ICMP type and code u8.
    public const ushort ProtoNumber = 1;
    public const ushort ProtoSourcePort = 2;
    public const ushort ProtoDestinationPort = 3;
    public const ushort ProtoIcmpId = 4;
    public const ushort ProtoIcmpType = 5;
    public const ushort ProtoIcmpCode = 6;
    public const ushort ProtoIcmpV6Id = 7;
    public const ushort ProtoIcmpV6Type = 8;
    public const ushort ProtoIcmpV6Code = 9;
}
