using System.Buffers.Binary;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;

namespace SnatTools.Tests.Fakes;

/// <summary>
/// Reply datagrams as the kernel builds them, for scripted fakes: ACKs and errors (capped, with an
/// extended ACK message), the per-message ACKs of a batch, a NEWGEN reply, flags on dump replies.
/// </summary>
public static class KernelReplies
{
    private const ushort NlmsgerrAttrMsg = 1;

    /// <summary>
    /// NLMSG_ERROR answering <paramref name="request"/>: an ACK when <paramref name="errno"/> is 0,
    /// else the error with <paramref name="message"/> as extended ACK text (netlink_ack with
    /// NETLINK_CAP_ACK and NETLINK_EXT_ACK set, as the module's sockets ask).
    /// </summary>
    public static byte[] Ack(RawNetlinkMessage request, int errno = 0, string? message = null)
    {
        var writer = new NetlinkWriter(128);
        var flags = NetlinkFlags.Capped | (message is null ? NetlinkFlags.None : NetlinkFlags.AckTlvs);
        int start = writer.BeginMessage(NetlinkMessageType.Error, flags, request.Sequence);
        Span<byte> error = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(error, -errno);
        writer.PutRaw(error);
        var echoed = request.Bytes.AsSpan(0, NetlinkMessage.HeaderLength).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(echoed, NetlinkMessage.HeaderLength); // capped: the header alone
        writer.PutRaw(echoed);
        if (message is not null)
        {
            writer.PutString(NlmsgerrAttrMsg, message);
        }

        writer.EndMessage(start);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// What the kernel queues for a batch whose messages all asked for an ACK: one ACK per message
    /// between BEGIN and END, in order, with <paramref name="errno"/> on message
    /// <paramref name="failAt"/> (1-based, as the kernel processes every message even after a
    /// failure and then reports them all: nfnetlink_rcv_batch).
    /// </summary>
    public static List<byte[]> BatchAcks(NetlinkDatagram batch, int failAt = 0, int errno = 0, string? message = null) =>
        batch.Messages.Skip(1).Take(batch.Messages.Count - 2)
            .Select((m, i) => i + 1 == failAt ? Ack(m, errno, message) : Ack(m))
            .ToList();

    /// <summary>A batch refused as a whole: one error pointing at BATCH_BEGIN (ERESTART when the generation moved, EPERM without CAP_NET_ADMIN).</summary>
    public static List<byte[]> BatchRefused(NetlinkDatagram batch, int errno) => [Ack(batch.Messages[0], errno)];

    /// <summary>
    /// Not a datagram: the socket's receive queue overflowed here (the kernel dropped replies and
    /// the next recv fails with ENOBUFS).
    /// </summary>
    public static readonly byte[] Overrun = [];

    /// <summary>The NEWGEN reply to a GETGEN, and its ACK when the request asked for one.</summary>
    public static List<byte[]> Generation(RawNetlinkMessage request, uint generation)
    {
        var writer = new NetlinkWriter(128);
        int start = writer.BeginMessage(NftMessage.Type(NftMessage.NewGen), NetlinkFlags.None, request.Sequence);
        writer.PutNfGenMsg(0, NfnetlinkSubsystem.Version0, (ushort)generation);
        writer.PutBe32(NftaGen.Id, generation);
        writer.PutBe32(NftaGen.ProcPid, 4242);
        writer.PutString(NftaGen.ProcName, "nft");
        writer.EndMessage(start);
        var replies = new List<byte[]> { writer.WrittenSpan.ToArray() };
        if ((request.Flags & NetlinkFlags.Ack) != 0)
        {
            replies.Add(Ack(request));
        }

        return replies;
    }

    /// <summary>The same datagram with <paramref name="flags"/> added to every message (NLM_F_DUMP_INTR on a dump that raced a commit).</summary>
    public static byte[] WithFlags(byte[] datagram, NetlinkFlags flags)
    {
        var copy = (byte[])datagram.Clone();
        foreach (var message in new NetlinkDatagram(datagram).Messages)
        {
            var field = copy.AsSpan(message.Offset + 6, 2);
            BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(field) | (ushort)flags));
        }

        return copy;
    }

    /// <summary>
    /// The same datagram with sequence numbers mapped through <paramref name="sequences"/>: in each
    /// header and in the request header an NLMSG_ERROR echoes.
    /// </summary>
    public static byte[] WithSequences(byte[] datagram, IReadOnlyDictionary<uint, uint> sequences)
    {
        var copy = (byte[])datagram.Clone();
        foreach (var message in new NetlinkDatagram(datagram).Messages)
        {
            Map(copy.AsSpan(message.Offset + 8, 4));
            if (message.Type == NetlinkMessageType.Error && message.Bytes.Length >= NetlinkMessage.HeaderLength + 4 + NetlinkMessage.HeaderLength)
            {
                Map(copy.AsSpan(message.Offset + NetlinkMessage.HeaderLength + 4 + 8, 4));
            }
        }

        return copy;

        void Map(Span<byte> field)
        {
            if (sequences.TryGetValue(BinaryPrimitives.ReadUInt32LittleEndian(field), out uint mapped))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(field, mapped);
            }
        }
    }

    /// <summary>A copy of an nfnetlink message with one top-level attribute's value replaced by another of the same length.</summary>
    public static byte[] WithAttribute(byte[] message, ushort type, ReadOnlySpan<byte> value)
    {
        var copy = (byte[])message.Clone();
        int offset = NetlinkMessage.HeaderLength + NfGenMsg.Length;
        while (offset + NetlinkAttribute.HeaderLength <= copy.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(offset));
            if ((BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(offset + 2)) & NetlinkAttribute.TypeMask) == type)
            {
                if (length - NetlinkAttribute.HeaderLength != value.Length)
                {
                    throw new ArgumentException($"attribute {type} holds {length - NetlinkAttribute.HeaderLength} bytes, not {value.Length}");
                }

                value.CopyTo(copy.AsSpan(offset + NetlinkAttribute.HeaderLength));
                return copy;
            }

            offset += NetlinkAlign.Align(length);
        }

        throw new ArgumentException($"no attribute {type} in the message");
    }

    /// <summary>Concatenates messages into one datagram (each already padded to 4 bytes).</summary>
    public static byte[] Datagram(IEnumerable<byte[]> messages) => messages.SelectMany(m => m).ToArray();
}
