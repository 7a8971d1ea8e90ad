namespace SnatTools.Core.Conntrack;

/// <summary>
/// enum ctattr_protoinfo and the attributes of its TCP and SCTP nests (uapi
/// linux/netfilter/nfnetlink_conntrack.h). CTA_PROTOINFO_TCP_STATE and CTA_PROTOINFO_SCTP_STATE
/// are both 1 and a u8.
/// </summary>
public static class CtaProtoInfo
{
    public const ushort Tcp = 1;
    public const ushort Dccp = 2;
    public const ushort Sctp = 3;

    public const ushort State = 1;

    /// <summary>CTA_PROTOINFO_TCP_WSCALE_ORIGINAL (2) to CTA_PROTOINFO_TCP_FLAGS_REPLY (5): window scales and flags, read past.</summary>
    public const ushort TcpWscaleOriginal = 2;
    public const ushort TcpFlagsReply = 5;

    /// <summary>CTA_PROTOINFO_SCTP_VTAG_ORIGINAL (2) and _REPLY (3): verification tags, read past.</summary>
    public const ushort SctpVtagOriginal = 2;
    public const ushort SctpVtagReply = 3;
}
