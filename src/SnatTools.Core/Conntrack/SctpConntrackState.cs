namespace SnatTools.Core.Conntrack;

/// <summary>enum sctp_conntrack (uapi linux/netfilter/nf_conntrack_sctp.h), as CTA_PROTOINFO_SCTP_STATE carries it.</summary>
public enum SctpConntrackState : byte
{
    None = 0,
    Closed = 1,
    CookieWait = 2,
    CookieEchoed = 3,
    Established = 4,
    ShutdownSent = 5,
    ShutdownRecd = 6,
    ShutdownAckSent = 7,
    HeartbeatSent = 8,
    HeartbeatAcked = 9,
}
