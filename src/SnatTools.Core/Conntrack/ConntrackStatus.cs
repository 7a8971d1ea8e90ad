namespace SnatTools.Core.Conntrack;

/// <summary>enum ip_conntrack_status (uapi linux/netfilter/nf_conntrack_common.h), as CTA_STATUS carries it.</summary>
[Flags]
public enum ConntrackStatus : uint
{
    None = 0,
    Expected = 0x1,
    SeenReply = 0x2,
    Assured = 0x4,
    Confirmed = 0x8,

    /// <summary>The source was rewritten: the NAT tuple differs from the original one (nf_nat_setup_info).</summary>
    SourceNat = 0x10,
    DestinationNat = 0x20,
    SequenceAdjust = 0x40,
    SourceNatDone = 0x80,
    DestinationNatDone = 0x100,
    Dying = 0x200,
    FixedTimeout = 0x400,
    Template = 0x800,
    Untracked = 0x1000,
    Helper = 0x2000,
    Offload = 0x4000,
    HardwareOffload = 0x8000,
}
