namespace SnatTools.Core.Nftables.Printing;

/// <summary>
/// nftables' datatype numbers (src/datatype.h enum datatypes), the ones a source-NAT rule's values
/// are printed as. Sets store them as NFTA_SET_KEY_TYPE / NFTA_SET_DATA_TYPE; a concatenation is
/// stored as its parts' numbers, each shifted left by <see cref="ConcatBits"/>.
/// </summary>
public enum NftDataType : uint
{
    Invalid = 0,
    Verdict = 1,
    NfProto = 2,
    Integer = 4,
    String = 5,
    LinkLayerAddress = 6,
    Ipv4Address = 7,
    Ipv6Address = 8,
    EtherType = 10,
    InetProtocol = 12,
    InetService = 13,
    TcpFlag = 15,
    DccpPktType = 16,
    IcmpType = 14,
    MhType = 17,
    Time = 18,
    Realm = 22,
    Mark = 19,
    IfIndex = 20,
    ArpHrd = 21,
    ClassId = 23,
    Uid = 24,
    Gid = 25,
    CtLabel = 30,
    CtState = 26,
    CtDirection = 27,
    CtStatus = 28,
    Icmp6Type = 29,
    PktType = 31,
    DevGroup = 35,
    Dscp = 36,
    Ecn = 37,
    IcmpCode = 32,
    Icmpv6Code = 33,
    Bitmask = 3,
    FibAddress = 38,
    Boolean = 39,
    CtEventBit = 40,
    IfName = 41,
    IgmpType = 42,
}
