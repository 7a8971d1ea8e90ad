namespace SnatTools.Core.Conntrack;

/// <summary>enum tcp_conntrack (uapi linux/netfilter/nf_conntrack_tcp.h), as CTA_PROTOINFO_TCP_STATE carries it.</summary>
public enum TcpConntrackState : byte
{
    None = 0,
    SynSent = 1,
    SynRecv = 2,
    Established = 3,
    FinWait = 4,
    CloseWait = 5,
    LastAck = 6,
    TimeWait = 7,
    Close = 8,

    /// <summary>TCP_CONNTRACK_LISTEN, which the kernel reuses as TCP_CONNTRACK_SYN_SENT2 (simultaneous open).</summary>
    SynSent2 = 9,
}
