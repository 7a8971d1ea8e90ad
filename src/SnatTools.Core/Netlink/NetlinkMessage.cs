using System.Buffers.Binary;

namespace SnatTools.Core.Netlink;

/// <summary>
/// One netlink message inside a received datagram: the nlmsghdr fields and the payload after the
/// 16-byte header. A view over the receive buffer; valid only inside the callback that got it.
/// </summary>
public readonly ref struct NetlinkMessage
{
    public const int HeaderLength = 16;

    public NetlinkMessage(ushort type, NetlinkFlags flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
        Payload = payload;
    }

    public ushort Type { get; }

    public NetlinkFlags Flags { get; }

    public uint Sequence { get; }

    public uint PortId { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>For nfnetlink messages: the nfgenmsg header that starts the payload.</summary>
    public NfGenMsg NfGenMsg => NfGenMsg.Read(Payload);

    /// <summary>For nfnetlink messages: the attributes after the 4-byte nfgenmsg.</summary>
    public AttributeReader NfAttributes
    {
        get
        {
            if (Payload.Length < NfGenMsg.Length)
            {
                throw new NetlinkDecodeException($"nfnetlink message type 0x{Type:x4} has a {Payload.Length}-byte payload, shorter than the 4-byte nfgenmsg.");
            }

            return new AttributeReader(Payload[NfGenMsg.Length..]);
        }
    }

    /// <summary>For NLMSG_ERROR: the errno (positive; 0 for an ACK).</summary>
    public int ErrorCode
    {
        get
        {
            if (Payload.Length < 4)
            {
                throw new NetlinkDecodeException($"NLMSG_ERROR payload is {Payload.Length} bytes, shorter than its 4-byte error code.");
            }

            return -BinaryPrimitives.ReadInt32LittleEndian(Payload);
        }
    }

    /// <summary>
    /// For NLMSG_ERROR: the sequence number of the request it answers (from the echoed header),
    /// or null when the kernel did not echo it.
    /// </summary>
    public uint? ErrorRequestSequence => Payload.Length >= 4 + HeaderLength
        ? BinaryPrimitives.ReadUInt32LittleEndian(Payload.Slice(4 + 8, 4))
        : null;

    /// <summary>For NLMSG_ERROR with NLM_F_ACK_TLVS: the extended ACK message (NLMSGERR_ATTR_MSG).</summary>
    public string? ExtendedAckMessage
    {
        get
        {
            if (Type != NetlinkMessageType.Error || (Flags & NetlinkFlags.AckTlvs) == 0 || Payload.Length < 4 + HeaderLength)
            {
                return null;
            }

            int echoed = HeaderLength;
            if ((Flags & NetlinkFlags.Capped) == 0)
            {
                echoed = (int)BinaryPrimitives.ReadUInt32LittleEndian(Payload.Slice(4, 4));
                if (echoed < HeaderLength || 4 + echoed > Payload.Length)
                {
                    return null;
                }
            }

            var tlvs = new AttributeReader(Payload[(4 + NetlinkAlign.Align(echoed))..]);
            while (tlvs.TryNext(out var attribute))
            {
                const ushort NlmsgerrAttrMsg = 1;
                if (attribute.Type == NlmsgerrAttrMsg)
                {
                    return attribute.GetString();
                }
            }

            return null;
        }
    }
}
