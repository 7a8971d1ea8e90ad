using System.Buffers.Binary;

namespace SnatTools.Core.Netlink;

/// <summary>
/// Walks the netlink messages packed in one datagram. A length that runs past the datagram or
/// is shorter than a header is a decode error, never an out-of-range read or an endless loop.
/// </summary>
public ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _remaining = datagram;

    public bool TryNext(out NetlinkMessage message)
    {
        if (_remaining.IsEmpty)
        {
            message = default;
            return false;
        }

        if (_remaining.Length < NetlinkMessage.HeaderLength)
        {
            throw new NetlinkDecodeException($"{_remaining.Length} trailing bytes are too short for a 16-byte netlink header.");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_remaining);
        if (length < NetlinkMessage.HeaderLength || length > _remaining.Length)
        {
            throw new NetlinkDecodeException($"netlink message length {length} does not fit the {_remaining.Length} bytes left in the datagram.");
        }

        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_remaining[4..]),
            (NetlinkFlags)BinaryPrimitives.ReadUInt16LittleEndian(_remaining[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_remaining[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_remaining[12..]),
            _remaining[NetlinkMessage.HeaderLength..(int)length]);

        int advance = Math.Min(NetlinkAlign.Align((int)length), _remaining.Length);
        _remaining = _remaining[advance..];
        return true;
    }
}
