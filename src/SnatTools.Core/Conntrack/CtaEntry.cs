namespace SnatTools.Core.Conntrack;

/// <summary>enum ctattr_type (uapi linux/netfilter/nfnetlink_conntrack.h): the attributes of one conntrack entry.</summary>
public static class CtaEntry
{
    public const ushort TupleOrig = 1;
    public const ushort TupleReply = 2;

    /// <summary>be32, enum ip_conntrack_status bits.</summary>
    public const ushort Status = 3;
    public const ushort ProtoInfo = 4;
    public const ushort Help = 5;
    public const ushort NatSrc = 6;

    /// <summary>be32, seconds until the entry expires.</summary>
    public const ushort Timeout = 7;

    /// <summary>be32.</summary>
    public const ushort Mark = 8;
    public const ushort CountersOrig = 9;
    public const ushort CountersReply = 10;

    /// <summary>be32 reference count.</summary>
    public const ushort Use = 11;

    /// <summary>be32.</summary>
    public const ushort Id = 12;
    public const ushort NatDst = 13;
    public const ushort TupleMaster = 14;
    public const ushort SeqAdjOrig = 15;
    public const ushort SeqAdjReply = 16;
    public const ushort Secmark = 17;

    /// <summary>be16.</summary>
    public const ushort Zone = 18;
    public const ushort SecCtx = 19;
    public const ushort Timestamp = 20;
    public const ushort MarkMask = 21;
    public const ushort Labels = 22;
    public const ushort LabelsMask = 23;
    public const ushort Synproxy = 24;
    public const ushort Filter = 25;

    /// <summary>be32; with <see cref="Status"/> in a dump request: only entries with (status &amp; mask) == value.</summary>
    public const ushort StatusMask = 26;
}
