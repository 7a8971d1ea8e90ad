using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SnatTools.Core.Netlink;
using SnatTools.Core.Nftables;

namespace SnatTools.Tests.Fakes;

/// <summary>One netlink message of a datagram, as bytes with its header fields read out.</summary>
public sealed record RawNetlinkMessage(int Offset, ushort Type, NetlinkFlags Flags, uint Sequence, byte[] Bytes)
{
    /// <summary>The payload after the 16-byte header.</summary>
    public ReadOnlySpan<byte> Payload => Bytes.AsSpan(NetlinkMessage.HeaderLength);

    /// <summary>For nfnetlink messages: the attributes after nfgenmsg, as (raw type, payload) in order.</summary>
    public IReadOnlyList<(ushort RawType, byte[] Value)> Attributes
    {
        get
        {
            var attributes = new List<(ushort, byte[])>();
            var reader = new AttributeReader(Payload[NfGenMsg.Length..]);
            while (reader.TryNext(out var attribute))
            {
                attributes.Add((attribute.RawType, attribute.GetBytes()));
            }

            return attributes;
        }
    }

    /// <summary>"NFT_MSG_NEWRULE" and the like, or the number.</summary>
    public string TypeName => Type switch
    {
        NetlinkMessageType.Error => "NLMSG_ERROR",
        NetlinkMessageType.Done => "NLMSG_DONE",
        0x10 => "NFNL_MSG_BATCH_BEGIN",
        0x11 => "NFNL_MSG_BATCH_END",
        _ when NftMessage.Of(Type) >= 0 => NftMessageNames.TryGetValue(NftMessage.Of(Type), out var name) ? name : $"NFT_MSG_{NftMessage.Of(Type)}",
        _ => $"0x{Type:x4}",
    };

    public override string ToString() =>
        $"{TypeName} flags=0x{(ushort)Flags:x4} seq={Sequence} len={Bytes.Length}";

    private static readonly Dictionary<int, string> NftMessageNames = new()
    {
        [NftMessage.NewTable] = "NFT_MSG_NEWTABLE", [NftMessage.GetTable] = "NFT_MSG_GETTABLE",
        [NftMessage.NewChain] = "NFT_MSG_NEWCHAIN", [NftMessage.GetChain] = "NFT_MSG_GETCHAIN",
        [NftMessage.NewRule] = "NFT_MSG_NEWRULE", [NftMessage.GetRule] = "NFT_MSG_GETRULE", [NftMessage.DelRule] = "NFT_MSG_DELRULE",
        [NftMessage.NewSet] = "NFT_MSG_NEWSET", [NftMessage.GetSet] = "NFT_MSG_GETSET",
        [NftMessage.NewSetElem] = "NFT_MSG_NEWSETELEM", [NftMessage.GetSetElem] = "NFT_MSG_GETSETELEM",
        [NftMessage.NewGen] = "NFT_MSG_NEWGEN", [NftMessage.GetGen] = "NFT_MSG_GETGEN",
    };
}

/// <summary>A datagram split into its messages, with the views the fakes and the golden tests need.</summary>
public sealed class NetlinkDatagram
{
    public NetlinkDatagram(byte[] bytes)
    {
        Bytes = bytes;
        var messages = new List<RawNetlinkMessage>();
        int offset = 0;
        while (offset + NetlinkMessage.HeaderLength <= bytes.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
            if (length < NetlinkMessage.HeaderLength || offset + length > bytes.Length)
            {
                throw new InvalidDataException($"message at offset {offset} claims {length} bytes of the {bytes.Length - offset} left");
            }

            messages.Add(new RawNetlinkMessage(
                offset,
                BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 4)),
                (NetlinkFlags)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 6)),
                BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8)),
                bytes.AsSpan(offset, length).ToArray()));
            offset += NetlinkAlign.Align(length);
        }

        Messages = messages;
    }

    public byte[] Bytes { get; }

    public IReadOnlyList<RawNetlinkMessage> Messages { get; }

    /// <summary>An nf_tables transaction: NFNL_MSG_BATCH_BEGIN … END.</summary>
    public bool IsBatch => Messages.Count >= 2 && Messages[0].Type == 0x10 && Messages[^1].Type == 0x11;

    /// <summary>The sequence numbers of the messages, in order.</summary>
    public IReadOnlyList<uint> Sequences => Messages.Select(m => m.Sequence).ToList();

    /// <summary>The NFNL_BATCH_GENID a batch carries, or null.</summary>
    public uint? BatchGeneration =>
        IsBatch && Messages[0].Attributes.FirstOrDefault(a => a.RawType == 1).Value is { Length: 4 } value ? BinaryPrimitives.ReadUInt32BigEndian(value) : null;

    /// <summary>
    /// The bytes with every message's sequence number and port id zeroed: what a request means
    /// apart from the socket's own counter, so recordings match across runs.
    /// </summary>
    public byte[] Normalized()
    {
        var copy = (byte[])Bytes.Clone();
        foreach (var message in Messages)
        {
            copy.AsSpan(message.Offset + 8, 8).Clear();
        }

        return copy;
    }

    /// <summary>One line per message.</summary>
    public string Describe() => string.Join('\n', Messages.Select(m => m.ToString()));

    public static string Hex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        for (int i = 0; i < bytes.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : i % 16 == 0 ? "\n" : i % 8 == 0 ? "  " : " ");
            text.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
